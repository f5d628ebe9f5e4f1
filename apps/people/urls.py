from django.urls import path

from apps.people import household_views, import_views, merge_views, rights_views, views

app_name = "people"

urlpatterns = [
    path("", views.people_list, name="list"),
    path("new/", views.person_new, name="new"),
    path("export/", views.people_export_view, name="export"),
    path("import/", import_views.import_start, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<uuid:public_id>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<uuid:public_id>/", import_views.import_status, name="import_status"),
    path("<uuid:public_id>/", views.person_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.person_edit, name="edit"),
    path("<uuid:public_id>/print/", views.person_print, name="print"),
    path("<uuid:public_id>/merge/", merge_views.person_merge_view, name="merge"),
    path("<uuid:public_id>/household/", household_views.household, name="household"),
    path("<uuid:public_id>/documents/", views.person_document_add, name="document_add"),
    path("<uuid:public_id>/situations/", views.person_situation_add, name="situation_add"),
    path("<uuid:public_id>/consents/", views.person_consent_add, name="consent_add"),
    path("<uuid:public_id>/rights/new/", rights_views.data_request_new, name="data_request_new"),
    path(
        "<uuid:public_id>/rights/<int:request_id>/answer/",
        rights_views.data_request_answer_view,
        name="data_request_answer",
    ),
    path("<uuid:public_id>/rights/data.json", rights_views.person_data_json, name="data_json"),
    path("<uuid:public_id>/rights/summary/", rights_views.person_data_summary, name="data_summary"),
    path("<uuid:public_id>/rights/opposition/", rights_views.person_opposition, name="opposition"),
    path(
        "<uuid:public_id>/rights/anonymise/", rights_views.person_anonymise_view, name="anonymise"
    ),
    path(
        "<uuid:public_id>/consents/<int:consent_id>/withdraw/",
        views.person_consent_withdraw,
        name="consent_withdraw",
    ),
]
