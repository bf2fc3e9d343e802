from __future__ import annotations

from django.urls import path

from followup import views
from valgus_app import converters  # noqa: F401  (registers <token:...> and <id:...>)

app_name = "followup"

# Every address here carries the private token (Assessment.token), never the plan's read-only
# token: the log writes, and a shared plan link must not.
urlpatterns = [
    path("<token:token>/", views.log, name="log"),
    path("<token:token>/session/", views.session_save, name="session_save"),
    path("<token:token>/morning/<id:session_id>/", views.morning_save, name="morning_save"),
    path("<token:token>/retest/<id:week>/", views.retest, name="retest"),
]
