"""After restoring a backup: erase again everyone in the erasure-log file."""

from pathlib import Path

from django.core.management.base import BaseCommand

from digibank.services import erasure_log_path, replay_erasures


class Command(BaseCommand):
    help = "Replay the erasure log (var/erasure-log.jsonl) after a database restore."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Erasure-log file (default: var/).")

    def handle(self, *args, path=None, **options):
        log = Path(path) if path else erasure_log_path()
        if not log.exists():
            self.stdout.write(f"No erasure log at {log}: nothing to replay.")
            return
        with log.open(encoding="utf-8") as lines:
            count = replay_erasures(lines)
        self.stdout.write(f"Erased again: {count}")
