from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Accent-insensitive search ("pena" finds "Peña"); skipped on SQLite."""

    dependencies = [("core", "0005_history_events")]

    operations = [UnaccentExtension()]
