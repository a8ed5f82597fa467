"""Re-run stored webhook events: by id, by type, or every failed one."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from webhooks.models import EventStatus, WebhookEvent
from webhooks.services import event_process


class Command(BaseCommand):
    help = "Re-process stored webhook events (safe: processing is idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("event_ids", nargs="*", help="Provider event ids (evt_...).")
        parser.add_argument("--type", dest="event_type", help="Every event of this type.")
        parser.add_argument("--failed", action="store_true", help="Every failed event.")
        parser.add_argument("--provider", default="stripe")

    def handle(self, *args, event_ids, event_type, failed, provider, **options) -> None:
        qs = WebhookEvent.objects.filter(provider=provider)
        if event_ids:
            qs = qs.filter(event_id__in=event_ids)
            missing = set(event_ids) - set(qs.values_list("event_id", flat=True))
            if missing:
                raise CommandError(f"Unknown event ids: {', '.join(sorted(missing))}")
        elif event_type:
            qs = qs.filter(type=event_type)
        elif failed:
            qs = qs.filter(status=EventStatus.FAILED)
        else:
            raise CommandError("Give event ids, --type TYPE or --failed.")
        ok = errors = 0
        for pk, event_id in qs.order_by("received_at", "pk").values_list("pk", "event_id"):
            try:
                result = event_process(event_pk=pk, force=True)
            except Exception as exc:  # recorded on the event; keep going with the others
                errors += 1
                self.stderr.write(f"{event_id}: failed: {exc}")
                continue
            ok += 1
            self.stdout.write(f"{event_id}: {result}")
        self.stdout.write(f"Replayed {ok} event(s), {errors} failed.")
        if errors:
            raise CommandError(f"{errors} event(s) failed again")
