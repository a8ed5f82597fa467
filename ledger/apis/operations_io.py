"""The journal entry the ledger's write endpoints answer with."""

from __future__ import annotations

from rest_framework import serializers

from common.api import Amount


class PostingOut(serializers.Serializer):
    account = serializers.CharField(source="account.code")
    currency = serializers.CharField(source="amount.currency.code")
    amount = Amount(source="amount.amount", help_text="Signed, debit positive.")
    amount_myr = Amount(source="amount_book", help_text="Book currency, signed.")
    rate = Amount()


class EntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    idempotency_key = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()
    effective_date = serializers.DateField()
    memo = serializers.CharField()
    reason = serializers.CharField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    recorded_by = serializers.CharField(source="recorded_by.username", default=None)
    source_refs = serializers.JSONField()
    postings = PostingOut(many=True, source="postings.all")
