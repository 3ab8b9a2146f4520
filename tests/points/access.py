from tests.access import Access, allowed

ACCESS = {
    "points:choose-point": Access(
        allowed("host", "coach", "atelier", "coordinator"), method="post",
        data=lambda ctx: {"point": ctx.point.pk},
    ),
}
