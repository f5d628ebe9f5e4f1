from django.urls import path

from apps.casework import views

app_name = "casework"

urlpatterns = [
    path("people/<uuid:public_id>/attentions/new/", views.attention_new, name="attention_new"),
    path("people/<uuid:public_id>/cases/new/", views.case_new, name="case_new"),
    path("people/<uuid:public_id>/referrals/new/", views.referral_new, name="referral_new"),
    path("cases/<uuid:public_id>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:public_id>/<str:action>/", views.case_action, name="case_action"),
    path("tasks/<int:task_id>/done/", views.task_complete, name="task_complete"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/<uuid:public_id>/", views.referral_detail, name="referral_detail"),
]
