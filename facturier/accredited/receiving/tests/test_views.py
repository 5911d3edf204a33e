"""The dossier's page of received flows: what a person must look at, and taking a given-up flow again."""

import html

from django.urls import reverse

from facturier.accredited.receiving.models import Inbox, ReceivedFlow
from facturier.audit.models import AuditEvent
from facturier.testing.world import sign_in

State, Outcome = ReceivedFlow.State, ReceivedFlow.Outcome


def flow(inbox, flow_id, **fields):
    return ReceivedFlow.objects.create(connection=inbox.connection, inbox=inbox, flow_id=flow_id,
                                       name=f"{flow_id}.xml", **fields)


def page_url(inbox):
    return reverse("accredited_receiving:received_flows", args=[inbox.dossier.pk])


def test_refused_and_failed_flows_show_with_their_reason_and_the_last_pull(client, inbox, seller_world):
    Inbox.objects.filter(pk=inbox.pk).update(last_error="L'URL du jeton ne répond pas.")
    flow(inbox, "taken", state=State.DONE, outcome=Outcome.INVOICE, message="Facture valide.")
    flow(inbox, "doublon", state=State.DONE, outcome=Outcome.REFUSED_FILE, message="DOUBLON : déjà reçue le 2 déc.")
    flow(inbox, "given-up", state=State.FAILED, attempts=10, last_error="Aucune facture n° F-9 dans ce dossier.")
    flow(inbox, "retrying", attempts=2, last_error="La plateforme répond 502 : réessayez plus tard.")
    flow(inbox, "waiting")
    sign_in(client, seller_world, "client")
    page = html.unescape(client.get(page_url(inbox)).content.decode())
    assert "La dernière relève n'a pas abouti :</strong> L'URL du jeton ne répond pas." in page
    assert "2 flux traités." in page and "2 flux à traiter." in page  # the refused one was handled too
    for shown in ("DOUBLON : déjà reçue le 2 déc.", "Aucune facture n° F-9 dans ce dossier.", "10 essais",
                  "La plateforme répond 502 : réessayez plus tard."):
        assert shown in page
    assert 'data-received-flow="taken"' not in page and 'data-received-flow="waiting"' not in page
    assert "Reprendre" not in page, "the client's users see; the firm acts"


def test_another_firms_dossier_answers_404(client, inbox, seller_world):
    sign_in(client, seller_world, "client")
    assert client.get(reverse("accredited_receiving:received_flows", args=[seller_world.foreign.pk])).status_code == 404


def test_a_given_up_flow_is_taken_again_once_however_often_it_is_clicked(client, inbox, seller_world):
    given_up = flow(inbox, "given-up", state=State.FAILED, attempts=10, last_error="Aucune facture n° F-9.")
    retry = reverse("accredited_receiving:retry", args=[inbox.dossier.pk, given_up.pk])
    sign_in(client, seller_world, "client")
    assert client.post(retry).status_code == 403
    sign_in(client, seller_world, "staff_assigned")
    assert "Reprendre" in client.get(page_url(inbox)).content.decode()
    first = html.unescape(client.post(retry, follow=True).content.decode())
    second = html.unescape(client.post(retry, follow=True).content.decode())  # a double click, a second tab
    assert "sera repris à la prochaine relève" in first and "déjà été remis à traiter" in second
    given_up.refresh_from_db()
    assert (given_up.state, given_up.attempts) == (State.PENDING, 0)
    assert AuditEvent.objects.filter(action="received_flow_retried", dossier=inbox.dossier).count() == 1
