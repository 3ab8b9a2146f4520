"""An e-mail backend for tests that run a real Celery worker in another
process: each message becomes one JSON line in the file ``TEST_MAILBOX``
names, after ``TEST_MAILBOX_DELAY`` seconds (a slow mail server), so the
test can count what the "server" accepted and kill a worker mid-send."""

import json
import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        delay = float(os.environ.get("TEST_MAILBOX_DELAY", "0"))
        for message in email_messages:
            time.sleep(delay)
            line = json.dumps({"to": message.to, "subject": message.subject,
                               "id": message.extra_headers.get("Message-ID", "")})
            with open(os.environ["TEST_MAILBOX"], "a", encoding="utf-8") as mailbox:
                mailbox.write(line + "\n")
        return len(email_messages)


def read(path) -> list[dict]:
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as mailbox:
        return [json.loads(line) for line in mailbox if line.strip()]
