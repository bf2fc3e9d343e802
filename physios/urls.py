from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from physios import link_views, views
from valgus_app import converters  # noqa: F401  (registers <token:...> and <id:...>)

app_name = "physios"

T = "physios/account/"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # Accounts, with Django's own views.
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("signup/confirm/<uidb64>/<token>/", views.signup_confirm, name="signup_confirm"),
    path("login/", views.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name=T + "password_change.html",
            success_url=reverse_lazy("physios:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name=T + "password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        views.password_reset,
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name=T + "password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=T + "password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    # The physio's clients.
    path("clients/new/", views.client_new, name="client_new"),
    path("clients/<id:client_id>/", views.client_detail, name="client"),
    path("clients/<id:client_id>/delete/", views.client_delete, name="client_delete"),
    path("clients/<id:client_id>/invite/", views.invite_new, name="invite_new"),
    path(
        "clients/<id:client_id>/invites/<id:invite_id>/stop/",
        views.invite_revoke,
        name="invite_revoke",
    ),
    path(
        "clients/<id:client_id>/assessments/<id:assessment_id>/",
        views.review,
        name="review",
    ),
    path(
        "clients/<id:client_id>/assessments/<id:assessment_id>/versions/<id:number>/",
        views.version_detail,
        name="version",
    ),
    path(
        "clients/<id:client_id>/assessments/<id:assessment_id>/share/",
        views.share_new,
        name="share_new",
    ),
    path(
        "clients/<id:client_id>/assessments/<id:assessment_id>/shares/<id:share_id>/stop/",
        views.share_revoke,
        name="share_revoke",
    ),
    # Opened by clients from a link, without an account.
    path("invite/<token:token>/", link_views.invite, name="invite"),
    path("plan/<token:token>/", link_views.shared_plan, name="shared_plan"),
    path("plan/<token:token>/pdf/", link_views.shared_plan_pdf, name="shared_plan_pdf"),
]
