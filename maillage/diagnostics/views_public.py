"""The diagnostic document (HTML and PDF, live or a frozen version) and the contribution without an account."""

import time
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.core.pdf import pdf_response
from maillage.core.qr import qr_data_uri, qr_svg
from maillage.diagnostics import document
from maillage.diagnostics import services_diagnostic as services
from maillage.diagnostics.forms_diagnostic import PublicContributionForm
from maillage.diagnostics.models_diagnostic import Diagnostic
from maillage.diagnostics.rules import get_diagnostic_for_user
from maillage.diagnostics.views_diagnostic import add_form_errors, crumbs

CONTRIBUTIONS_PER_WINDOW = 5
WINDOW_SECONDS = 600


def _document_for(request, diagnostic):
    """(document dict, version or None, team edition): the frozen snapshot when ?version=N, the live one
    otherwise. The public edition leaves restricted sections out; members ask for the team's with ?equipe=1."""
    version = None
    number = request.GET.get("version", "")
    if number:
        if not number.isdigit():
            raise Http404
        version = get_object_or_404(diagnostic.versions, number=int(number))
        doc = version.snapshot
    else:
        doc = document.build_document(diagnostic)
    team = request.GET.get("equipe") == "1" and request.user.has_perm(
        "diagnostics.work_on_diagnostic", diagnostic
    )
    if not team:
        doc = document.public_view(doc)
    return doc, version, team


def _query(version, team: bool, **extra) -> str:
    params = {"version": version.number} if version else {}
    if team:
        params["equipe"] = 1
    params.update(extra)
    return "?" + urlencode(params) if params else ""


def document_page(request, slug, pk):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk)
    doc, version, team = _document_for(request, diagnostic)
    context = {
        "workspace": diagnostic.workspace,
        "team": team,
        "can_see_team": request.user.has_perm("diagnostics.work_on_diagnostic", diagnostic),
        "team_query": _query(version, True),
        "public_query": _query(version, False),
        "diagnostic": diagnostic,
        "doc": doc,
        "counts": document.counts(doc),
        "version": version,
        "versions": list(diagnostic.versions.only("number", "validated_at")),
        "pdf_query": _query(version, team),
        "crumbs": crumbs(
            diagnostic.workspace, (diagnostic.title, diagnostic.get_absolute_url()), (_("Document"), "")
        ),
    }
    return render(request, "diagnostics/document.html", context)


def document_pdf(request, slug, pk):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk)
    doc, version, team = _document_for(request, diagnostic)
    context = {"doc": doc, "counts": document.counts(doc), "version": version, "diagnostic": diagnostic}
    suffix = (f"-v{version.number}" if version else "") + ("-equipe" if team else "")
    return pdf_response(
        "diagnostics/document_pdf.html",
        context,
        request=request,
        filename=f"diagnostic-{diagnostic.title}{suffix}",
    )


def _contribution_url(request, diagnostic) -> str:
    return request.build_absolute_uri(reverse("diagnostics:contribute", args=[diagnostic.contribution_token]))


def qr_page(request, slug, pk):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk, "diagnostics.manage_diagnostic")
    url = _contribution_url(request, diagnostic)
    context = {
        "workspace": diagnostic.workspace,
        "diagnostic": diagnostic,
        "url": url,
        "qr": qr_svg(url, scale=8, title=_("QR code vers le formulaire de contribution")),
        "crumbs": crumbs(
            diagnostic.workspace,
            (diagnostic.title, diagnostic.get_absolute_url()),
            (_("Affiche à imprimer"), ""),
        ),
    }
    return render(request, "diagnostics/qr.html", context)


def qr_pdf(request, slug, pk):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk, "diagnostics.manage_diagnostic")
    url = _contribution_url(request, diagnostic)
    context = {"diagnostic": diagnostic, "url": url, "qr_uri": qr_data_uri(url, scale=10)}
    return pdf_response(
        "diagnostics/qr_pdf.html", context, request=request, filename=f"affiche-{diagnostic.title}"
    )


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _recent(request) -> list[float]:
    now = time.time()
    return [t for t in request.session.get("diagnostic_contributions", []) if now - t < WINDOW_SECONDS]


def _over_limit(request) -> bool:
    """Simple limits against floods: per browser session and per IP address, over ten minutes."""
    per_ip = cache.get(f"diag-contrib:{_client_ip(request)}", 0)
    return len(_recent(request)) >= CONTRIBUTIONS_PER_WINDOW or per_ip >= CONTRIBUTIONS_PER_WINDOW * 4


def _count_contribution(request) -> None:
    request.session["diagnostic_contributions"] = [*_recent(request), time.time()]
    key = f"diag-contrib:{_client_ip(request)}"
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, WINDOW_SECONDS)


def contribute(request, token):
    diagnostic = (
        Diagnostic.objects.select_related("workspace", "territory", "perimeter")
        .filter(contribution_token=token, accepts_contributions=True)
        .first()
    )
    if diagnostic is None:
        raise Http404(_("Ce formulaire n'existe pas ou n'est plus ouvert."))
    form = PublicContributionForm(request.POST or None)
    status, done = 200, False
    if request.method == "POST":
        if _over_limit(request):
            form.add_error(None, _("Vous avez déjà envoyé plusieurs messages : réessayez dans dix minutes."))
            status = 429
        elif form.is_valid():
            if form.cleaned_data["website"]:  # honeypot filled: a robot; say thanks, keep nothing
                done = True
            else:
                try:
                    services.public_contribution(
                        diagnostic=diagnostic,
                        section=form.cleaned_data["section"],
                        text=form.cleaned_data["text"],
                        pseudonym=form.cleaned_data["pseudonym"],
                        consent=form.cleaned_data["consent"],
                    )
                except ValidationError as error:
                    add_form_errors(form, error)
                else:
                    _count_contribution(request)
                    done = True
        if not done and status == 200:
            status = 400
    context = {
        "diagnostic": diagnostic,
        "form": PublicContributionForm() if done else form,
        "done": done,
        "area": diagnostic.area,
    }
    return render(request, "diagnostics/contribute.html", context, status=status)
