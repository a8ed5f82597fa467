from django.contrib import admin, messages

from webhooks.models import WebhookEvent, WebhookRejection
from webhooks.services import event_process


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    """Every stored event; filter on "Failed" for the dead letters, replay them when the
    cause is fixed."""

    list_display = ["event_id", "provider", "type", "status", "attempts", "duplicates",
                    "received_at", "result"]  # fmt: skip
    list_filter = ["status", "type", "provider"]
    search_fields = ["=event_id", "=object_id"]  # exact ids, served by indexes
    readonly_fields = [f.name for f in WebhookEvent._meta.fields if f.name != "body"] + ["payload"]
    exclude = ["body"]
    actions = ["replay"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="payload")
    def payload(self, event: WebhookEvent) -> str:
        return bytes(event.body).decode("utf-8", errors="replace")

    @admin.action(description="Replay the selected events")
    def replay(self, request, queryset) -> None:
        for event in queryset:
            try:
                event_process(event_pk=event.pk, force=True)
            except Exception as exc:
                self.message_user(request, f"{event.event_id}: {exc}", messages.ERROR)
        self.message_user(request, "Replayed.")


@admin.register(WebhookRejection)
class WebhookRejectionAdmin(admin.ModelAdmin):
    """Refused deliveries, counted per provider, day and reason."""

    list_display = ["day", "provider", "reason", "count", "last_at"]
    list_filter = ["provider", "reason"]
    readonly_fields = [f.name for f in WebhookRejection._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
