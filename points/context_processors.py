from points.models import Point
from points.workspace import current_point as _current_point


def current_point(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    point = _current_point(request)
    choices = list(Point.objects.for_staff(user).filter(is_active=True).only("pk", "name"))
    return {"current_point": point, "point_choices": choices}
