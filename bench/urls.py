"""The app's addresses plus a bare view, the yardstick of `make bench`: a
logged-in request through all the middleware and nothing else, so a page's
time can be read as a multiple of what any request costs."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("digibank.urls")),
]
