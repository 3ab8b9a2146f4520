from django.conf import settings

from digibank.navigation import nav_items_for


def workspace(request):
    context = {"contact": {"phone": settings.CONTACT_PHONE, "email": settings.CONTACT_EMAIL}}
    user = getattr(request, "user", None)
    context["nav_items"] = nav_items_for(user) if user is not None else []
    return context
