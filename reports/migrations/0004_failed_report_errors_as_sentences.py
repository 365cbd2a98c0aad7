from django.db import migrations

# Copied, not imported: a migration keeps the words of its day.
RENDER_FAILED = (
    "The report could not be rendered. Retry it; if it fails again, tell your district "
    "administrator."
)


def errors_as_sentences(apps, schema_editor):
    """Failures recorded before carry the exception's text; members read the sentence instead."""
    Report = apps.get_model("reports", "Report")
    Report.objects.filter(error__startswith="The report could not be rendered: ").update(
        error=RENDER_FAILED
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_report_language"),
    ]

    operations = [
        migrations.RunPython(errors_as_sentences, migrations.RunPython.noop),
    ]
