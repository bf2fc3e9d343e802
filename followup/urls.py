from __future__ import annotations

from django.urls import path

from followup import views
from valgus_app import converters  # noqa: F401  (registers <token:...> and <id:...>)

app_name = "followup"

# Every address but the calendar feed carries the private token (Assessment.token), never the
# plan's read-only token: the log writes, and a shared plan link must not.
urlpatterns = [
    # The calendar feed has its own token (CalendarFeed.token), never the private one.
    path("calendar/<token:feed>.ics", views.calendar_feed, name="calendar_feed"),
    path("<token:token>/", views.log, name="log"),
    path("<token:token>/session/", views.session_save, name="session_save"),
    path("<token:token>/morning/<id:session_id>/", views.morning_save, name="morning_save"),
    path("<token:token>/retest/<id:week>/", views.retest, name="retest"),
    path("<token:token>/calendar.ics", views.calendar_download, name="calendar_download"),
    path("<token:token>/calendar/new/", views.calendar_feed_new, name="calendar_feed_new"),
    path("<token:token>/calendar/stop/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
]
