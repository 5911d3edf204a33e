"""On two real ``facturier serve`` processes sharing one database: a token from one server works on
the other, the rate limit counts the requests of both (30 concurrent requests, a limit of 10: exactly
10 get through), and a revocation made through one stops the client on both."""

import httpx

from facturier.apiclients.testing import bearer_headers
from facturier.testing.concurrency import at_once
from facturier.testing.live import LiveSite

SETUP = """
from facturier.apiclients.testing import make_api_client
from facturier.testing.world import build_world

world = build_world()
client, secret = make_api_client(world.active, name="ERP", can_issue_sales=True)
print_json({"client_id": client.client_id, "secret": secret, "siren": world.active.siren})
"""
REVOKE = """
from facturier.apiclients.models import ApiClient
print_json(ApiClient.objects.get(client_id=%r).revoke())
"""
LIMIT = 10
LONG_WINDOW = 10 * 365 * 24 * 3600  # the test never straddles two windows
REQUESTS = 30


def test_two_servers_share_tokens_rate_limit_and_revocation(tmp_path):
    with LiveSite(tmp_path, FACTURIER_API_RATE_LIMIT=str(LIMIT), FACTURIER_API_RATE_WINDOW_SECONDS=str(LONG_WINDOW),
                  FACTURIER_API_TOKEN_SECRET="shared by the servers") as site:
        servers = [site.serve()]  # the first one migrates the new database alone
        servers.append(site.serve())
        ids = site.django(SETUP)
        headers = bearer_headers(servers[0], ids["client_id"], ids["secret"])
        path = f"/directory-service/v1/siren/code-insee:{ids['siren']}"

        def look_up(index):
            return httpx.get(servers[index % 2] + path, headers=headers, timeout=60).status_code

        statuses, errors = at_once(look_up, REQUESTS)
        assert errors == []
        assert sorted(statuses) == [200] * LIMIT + [429] * (REQUESTS - LIMIT)

        other = bearer_headers(servers[1], ids["client_id"], ids["secret"])
        assert site.django(REVOKE % ids["client_id"]) is True
        for server in servers:
            refused = httpx.get(server + path, headers=other, timeout=60)
            assert refused.status_code == 401 and refused.json()["errorCode"] == "INVALID_TOKEN"
