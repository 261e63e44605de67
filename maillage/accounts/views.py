import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.accounts import services
from maillage.accounts.forms import ApiTokenForm, DeleteAccountForm, EmailAuthenticationForm
from maillage.accounts.models import ApiToken, ConsentRecord
from maillage.workspaces.selectors import memberships_of


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_required
def my_data(request):
    user = request.user
    context = {
        "memberships": memberships_of(user),
        "consents": ConsentRecord.objects.filter(user=user),
        "tokens": ApiToken.objects.filter(user=user, revoked_at__isnull=True),
        "delete_form": DeleteAccountForm(user=user),
        "token_form": ApiTokenForm(),
        "new_token": request.session.pop("new_api_token", None),
    }
    return render(request, "accounts/my_data.html", context)


@login_required
@require_POST
def my_data_export(request):
    data = services.user_export_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    filename = f"maillage-mes-donnees-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def my_data_delete(request):
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "accounts/delete_failed.html", {"delete_form": form}, status=400)
    services.user_delete(user=request.user)
    logout(request)
    messages.success(request, _("Votre compte a été supprimé. Vos contributions restent, sans votre nom."))
    return redirect("core:home")


@login_required
@require_POST
def api_token_create(request):
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        _token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        request.session["new_api_token"] = raw
    else:
        messages.error(request, _("Donnez un nom au jeton."))
    return redirect("accounts:my_data")


@login_required
@require_POST
def api_token_revoke(request, token_id: int):
    services.api_token_revoke(user=request.user, token_id=token_id)
    messages.success(request, _("Le jeton a été révoqué : il ne fonctionne plus."))
    return redirect("accounts:my_data")
