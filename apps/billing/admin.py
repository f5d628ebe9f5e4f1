"""Plans are edited here by platform admins; billing accounts and Stripe events are
read-only (they follow Stripe, through the services)."""

from django.contrib import admin

from apps.billing.models import BillingAccount, Plan, StripeEvent
from tenants.admin import ReadOnlyAdminMixin


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "stripe_price_id", "user_seats", "is_offered", "position"]
    list_editable = ["is_offered", "position"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(BillingAccount)
class BillingAccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["district", "plan", "subscription_status", "unpaid_since", "synced_at"]
    list_filter = ["subscription_status", "plan"]


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["event_id", "event_type", "outcome", "account", "received_at"]
    list_filter = ["event_type", "outcome"]
