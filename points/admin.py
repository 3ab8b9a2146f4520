from django.contrib import admin

from points.models import Point


@admin.register(Point)
class PointAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "is_active"]
    list_filter = ["kind", "district", "is_active"]
    search_fields = ["name", "street"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff"]
