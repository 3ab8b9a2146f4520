import time

from django.conf import settings
from django.utils import translation


class IdleSessionMiddleware:
    """Keeps a used session alive, writing it at most once a minute.

    A session ends after SESSION_COOKIE_AGE idle seconds: its row's expiry
    is set whenever the session is saved. Saving on every request would
    cost three queries per request (a counter polls every 15 seconds), so
    the session is marked changed only when its last touch is at least
    SESSION_TOUCH_SECONDS old. The idle limit then holds to within that
    margin: a session used one last time ends between 29 and 30 minutes
    later, never later than 30.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get("_touched", 0) >= settings.SESSION_TOUCH_SECONDS:
            session["_touched"] = now
        return response


class LanguageMiddleware:
    """Dutch unless the user chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, but
    counter PCs and phones are often set to another language than the one the
    service speaks; the choice is explicit here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RequestGuardMiddleware:
    """Input no view can use is refused before any view sees it.

    - A NUL byte in a query parameter or form field (name or value): no
      field can hold one (PostgreSQL refuses it in text), so 400.
    - A body that is not a form (JSON, plain text …) sent to our form
      endpoints: 415. No view here reads any other kind of body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and _has_body(request) \
                and request.content_type not in FORM_CONTENT_TYPES:
            return _refuse(request, 415)
        if _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST)):
            return _refuse(request, 400)
        return self.get_response(request)


def _has_body(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return True


def _holds_nul(params) -> bool:
    return any("\x00" in name or any("\x00" in value for value in values)
               for name, values in params.lists())


def _refuse(request, status: int):
    from django.http import JsonResponse
    from django.shortcuts import render

    if request.path.startswith("/open-data/"):
        # The open data's clients are programs: they get JSON, in English.
        reason = ("A NUL byte is not allowed in the query." if status == 400
                  else "Only form data is accepted.")
        return JsonResponse({"detail": reason}, status=status)
    return render(request, "400.html", {"status": status}, status=status)


# Downloads and feeds: read, never posted to.
READ_ONLY_SUFFIXES = (".json", ".ics", ".csv", ".xlsx", ".pdf")


class ReadOnlyFeedsMiddleware:
    """Feeds and downloads answer only GET and HEAD (405 otherwise), found
    by their address, so a new feed needs no decorator to be safe."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") and request.path.endswith(READ_ONLY_SUFFIXES):
            from django.http import HttpResponseNotAllowed

            return HttpResponseNotAllowed(["GET", "HEAD"])
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """What staff see holds personal data: every response to a logged-in
    user (pages, fragments, exports) is ``Cache-Control: no-store``, so no
    browser or proxy keeps a copy on a shared counter PC. Pages that htmx
    also asks for as a fragment vary on ``HX-Request``, and a history
    restore (Back after a search) gets the whole page, never the fragment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get("HX-History-Restore-Request") == "true":
            # htmx asks for the page to put back in the window: the full page.
            request.META.pop("HTTP_HX_REQUEST", None)
            request.__dict__.pop("headers", None)  # read again from META
        response = self.get_response(request)
        from django.utils.cache import patch_cache_control, patch_vary_headers

        if "html" in response.get("Content-Type", ""):
            patch_vary_headers(response, ["HX-Request"])
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers.pop("Expires", None)
            for directive in ("public", "max-age", "s-maxage"):
                _drop_cache_directive(response, directive)
            patch_cache_control(response, no_store=True, private=True)
        return response


def _drop_cache_directive(response, directive: str) -> None:
    value = response.get("Cache-Control")
    if not value:
        return
    kept = [part.strip() for part in value.split(",")
            if part.strip().split("=")[0].lower() != directive]
    response["Cache-Control"] = ", ".join(kept)
    if not kept:
        del response["Cache-Control"]
