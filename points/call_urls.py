"""The call list's addresses, included by ``digibank.urls`` without a
namespace, so their names stay ``call-list`` and ``call-record``."""

from django.urls import path

from points import calls

urlpatterns = [
    path("bel-lijst/", calls.call_list, name="call-list"),
    path("bel-lijst/<int:pk>/", calls.call_record, name="call-record"),
]
