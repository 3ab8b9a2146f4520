"""The point a staff member works at right now, remembered in the session."""

from points.models import Point

SESSION_KEY = "current_point_id"


def current_point(request) -> Point | None:
    user = request.user
    if not user.is_authenticated or user.has_role("partner") and not user.has_role(
        "host", "coach", "coordinator", "atelier"
    ):
        return None
    if hasattr(request, "_current_point"):
        return request._current_point
    points = Point.objects.for_staff(user).filter(is_active=True)
    point = None
    point_id = request.session.get(SESSION_KEY)
    if point_id:
        point = points.filter(pk=point_id).first()
    if point is None and not user.has_role("coordinator"):
        point = points.order_by("name").first()
    request._current_point = point
    return point


def set_current_point(request, point: Point) -> None:
    request.session[SESSION_KEY] = point.pk
    request._current_point = point
