from django.contrib import admin, messages

from webhooks.models import WebhookEvent
from webhooks.services import event_process


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "status", "attempts", "duplicates", "received_at",
                    "result"]  # fmt: skip
    list_filter = ["status", "type", "provider"]
    search_fields = ["=event_id", "=object_id"]  # exact ids, served by indexes
    readonly_fields = [f.name for f in WebhookEvent._meta.fields]
    actions = ["replay"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Replay the selected events")
    def replay(self, request, queryset) -> None:
        for event in queryset:
            try:
                event_process(event_pk=event.pk, force=True)
            except Exception as exc:
                self.message_user(request, f"{event.event_id}: {exc}", messages.ERROR)
        self.message_user(request, "Replayed.")
