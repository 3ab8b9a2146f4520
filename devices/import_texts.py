"""Dutch for the messages of django-import-export's admin that its own
catalogue leaves in English. Only marked here, so ``make messages`` keeps
them in the devices catalogue, which comes before import_export's."""

from django.utils.translation import gettext_noop

TEXTS = (
    gettext_noop("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
    gettext_noop("No valid data to import. Ensure your file has the correct headers or data "
                 "for import."),
    gettext_noop("%(exc_name)s encountered while trying to read file. Ensure you have chosen "
                 "the correct format for the file."),
    gettext_noop("The following fields are declared in 'import_id_fields' but are not "
                 "present in the file headers: %s"),
    gettext_noop("Value could not be parsed."),
    gettext_noop("Resource"),
    gettext_noop("Select all"),
    gettext_noop("This exporter will export the following fields: "),
)
