"""The terms of use (CGU) a client user accepts on the onboarding page: to read, or to download as PDF."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_GET


@require_GET
def terms(request):
    return render(request, "accounts/terms.html")


@require_GET
def terms_download(request):
    from weasyprint import HTML  # heavy import, needed by this download only

    html = render_to_string("accounts/terms_document.html", request=request)
    pdf = HTML(string=html).write_pdf()  # self-contained: nothing to fetch
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="facturier-cgu-{get_language()}.pdf"'
    return response
