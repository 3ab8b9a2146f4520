"""A deployment's address as street, postcode and municipality (was one free
text, which could be just "Mechelen"). "Street 1, 2800 Mechelen" is split;
anything else keeps its text as the street (with the postcode of its
district) for a coordinator to correct."""

import re

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

POSTAL = re.compile(r"^(?P<street>.*?)[,\s]*(?P<postcode>\d{4})\s+(?P<city>.+)$")


def split_addresses(apps, schema_editor):
    MobileDeployment = apps.get_model("points", "MobileDeployment")
    for deployment in MobileDeployment.objects.select_related("district").iterator():
        text = deployment.address.strip()
        match = POSTAL.match(text)
        if match:
            street, postcode, city = match.group("street", "postcode", "city")
        else:
            street, postcode, city = "", deployment.district.postcode or "", "Mechelen"
            if text and text != deployment.district.name:
                street = text
        MobileDeployment.objects.filter(pk=deployment.pk).update(
            street=street.strip(" ,")[:160], postcode=postcode[:4], city=city.strip()[:80])


def join_addresses(apps, schema_editor):
    MobileDeployment = apps.get_model("points", "MobileDeployment")
    for deployment in MobileDeployment.objects.iterator():
        town = f"{deployment.postcode} {deployment.city}".strip()
        deployment.address = ", ".join(part for part in (deployment.street, town) if part)
        deployment.save(update_fields=["address"])


class Migration(migrations.Migration):

    dependencies = [
        ("digibank", "0001_initial"),
        ("points", "0008_visit_submit_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="mobiledeployment",
            name="street",
            field=models.CharField(default="", max_length=160, verbose_name="street and number"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="mobiledeployment",
            name="postcode",
            field=models.CharField(default="", max_length=4, validators=[
                django.core.validators.RegexValidator("^\\d{4}$", "Four digits.")],
                verbose_name="postcode"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="mobiledeployment",
            name="city",
            field=models.CharField(default="Mechelen", max_length=80,
                                   verbose_name="municipality"),
        ),
        migrations.RunPython(split_addresses, join_addresses),
        migrations.RemoveField(
            model_name="mobiledeployment",
            name="address",
        ),
        migrations.AlterField(
            model_name="mobiledeployment",
            name="place",
            field=models.CharField(help_text="What residents look for, e.g. “Markt Nekkerspoel”.",
                                   max_length=120, verbose_name="place"),
        ),
        migrations.AlterField(
            model_name="mobiledeployment",
            name="district",
            field=models.ForeignKey(
                help_text="The deelgemeente or wijk of the stop: the finder shows the mobile "
                          "point there.",
                on_delete=django.db.models.deletion.PROTECT, related_name="deployments",
                to="digibank.district", verbose_name="district"),
        ),
    ]
