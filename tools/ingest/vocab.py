"""Header vocabulary: the names CRMs give each canonical field, and the columns of each table role.

Headers are compared after `slug()` (lower snake_case). Exact synonyms map with high
confidence; the mapping module adds fuzzy matches and value sniffing on top.
"""

from __future__ import annotations

ACCOUNT_SYNONYMS: dict[str, list[str]] = {
    "account_id": [
        "account_id", "accountid", "acct_id", "customer_id", "company_id", "client_id", "org_id",
        "organization_id", "account_number", "hs_object_id", "record_id", "id", "account_key",
    ],
    "name": [
        "account_name", "company_name", "customer_name", "account", "company", "customer",
        "organization", "organisation", "client", "client_name", "name", "business_name",
    ],
    "domain": ["domain", "website", "company_domain", "web_domain", "url", "website_url"],
    "industry": ["industry", "sector", "vertical", "industry_name", "business_type"],
    "employees": [
        "employees", "employee_count", "number_of_employees", "numberofemployees", "headcount",
        "num_employees", "company_size", "employees_range", "size", "staff",
    ],
    "revenue": ["revenue", "annual_revenue", "annualrevenue", "company_revenue", "turnover"],
    "country": [
        "country", "hq_country", "billing_country", "billingcountry", "office_location",
        "country_code", "location", "headquarters",
    ],
    "region": ["region", "geo", "territory", "sales_region", "market"],
    "funding_stage": ["funding_stage", "funding", "funding_round", "last_funding_round"],
    "founded_year": ["founded_year", "year_founded", "founded", "year_established", "established"],
    "tech_stack": [
        "tech_stack", "technologies", "technographics", "tech", "integrations", "tools", "stack",
    ],
    "previous_solution": [
        "previous_solution", "previous_tool", "previous_vendor", "replaced_solution",
        "competitor", "incumbent", "current_solution",
    ],
    "acquisition_channel": [
        "acquisition_channel", "referral_source", "lead_source", "leadsource", "source",
        "channel", "original_source", "hs_analytics_source", "acquisition_source",
    ],
    "plan": ["plan", "plan_tier", "tier", "subscription_plan", "package", "edition", "plan_name"],
    "seats": ["seats", "total_seats", "licenses", "licences", "seat_count", "licensed_seats"],
    "usage": [
        "usage", "usage_count", "active_users", "logins", "logins_last_30d", "monthly_active_users",
        "dau", "mau", "usage_score",
    ],
    "arr": ["arr", "arr_amount", "annual_recurring_revenue", "arr_usd", "current_arr"],
    "mrr": ["mrr", "mrr_amount", "monthly_recurring_revenue", "mrr_usd"],
    "contract_value": [
        "contract_value", "acv", "tcv", "annual_contract_value", "total_contract_value",
        "lifetime_value", "ltv",
    ],
    "start_date": [
        "start_date", "signup_date", "customer_since", "became_customer", "contract_start",
        "contract_start_date", "onboarding_date", "first_purchase_date", "createdate",
    ],
    "churned": ["churned", "churn", "churn_flag", "is_churned", "churn_status", "has_churned"],
    "churn_date": ["churn_date", "cancel_date", "cancellation_date", "churned_at", "churned_on"],
    "churn_reason": ["churn_reason", "reason_code", "cancellation_reason", "cancel_reason"],
    "expansion_arr": ["expansion_arr", "expansion", "expansion_revenue", "upsell", "upsell_arr"],
    "nps": ["nps", "nps_score", "net_promoter_score"],
    "csat": ["csat", "csat_score", "satisfaction", "satisfaction_score", "customer_satisfaction"],
    "tickets": [
        "tickets", "support_tickets", "ticket_count", "num_tickets", "tickets_last_90d",
        "tickets_count", "cases", "support_cases",
    ],
    "time_to_close_days": [
        "time_to_close_days", "time_to_close", "days_to_close", "sales_cycle",
        "sales_cycle_days", "sales_cycle_length",
    ],
    "referrals": ["referrals", "referral_count", "referrals_made", "num_referrals"],
    "cac": ["cac", "customer_acquisition_cost", "acquisition_cost"],
}  # fmt: skip

DEAL_SYNONYMS: dict[str, list[str]] = {
    "deal_id": ["deal_id", "opportunity_id", "opp_id", "dealid", "opportunityid", "id"],
    "account_id": [
        "account_id", "accountid", "company_id", "customer_id", "account", "company",
        "account_name", "company_name", "customer",
    ],
    "deal_stage": ["deal_stage", "stage", "dealstage", "stagename", "stage_name", "status"],
    "deal_amount": ["deal_amount", "amount", "close_value", "deal_value", "value", "amount_usd"],
    "deal_created": [
        "deal_created", "engage_date", "created_date", "createdate", "create_date", "createddate",
        "created_at", "open_date",
    ],
    "deal_closed": ["deal_closed", "close_date", "closedate", "closed_date", "closed_at"],
    "loss_reason": ["loss_reason", "closed_lost_reason", "lost_reason", "reason_lost"],
}  # fmt: skip

# Columns that mark a table's role (slugged). Score = number of hits.
ROLE_MARKERS: dict[str, list[str]] = {
    "deals": [
        "opportunity_id", "deal_id", "opp_id", "deal_stage", "dealstage", "stagename",
        "close_date", "closedate", "close_value", "engage_date", "sales_agent", "amount",
        "loss_reason", "closed_lost_reason",
    ],
    "subscriptions": [
        "subscription_id", "mrr_amount", "arr_amount", "billing_frequency", "auto_renew_flag",
        "end_date", "upgrade_flag", "downgrade_flag", "renewal_date",
    ],
    "tickets": [
        "ticket_id", "submitted_at", "resolution_time_hours", "priority",
        "first_response_time_minutes", "satisfaction_score", "escalation_flag",
    ],
    "usage": [
        "usage_id", "feature_name", "usage_count", "usage_date", "usage_duration_secs",
        "event_name", "event_date", "is_beta_feature",
    ],
    "churn_events": [
        "churn_event_id", "reason_code", "refund_amount_usd", "feedback_text",
        "is_reactivation", "churn_date",
    ],
    "lookup": ["sales_price", "series", "product", "manager", "regional_office", "list_price"],
}  # fmt: skip

# Fields a per-account event table may carry that say which account a row belongs to.
ACCOUNT_KEYS = ["account_id", "accountid", "company_id", "customer_id", "account", "company"]
