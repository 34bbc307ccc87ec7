from django.urls import path

from portal import views, views_account, views_jobs, views_services

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("card/", views.card, name="card"),
    path("card/qr.svg", views.card_qr, name="card-qr"),
    path("verify/", views.verify, name="verify"),
    path("check-in/", views.check_in, name="check-in"),
    path("join/", views.join, name="join"),
    path("me/activities/", views.my_activities, name="my-activities"),
    path("me/competitions/", views.my_competitions, name="my-competitions"),
    path("me/mutual-aid/", views.my_mutual_aid, name="my-mutual-aid"),
    path("me/claims/<int:pk>/", views.my_claim, name="my-claim"),
    path("me/voice/", views.my_voice, name="my-voice"),
    path("me/voice/<int:pk>/", views.my_concern, name="my-concern"),
    # Member services (会员服务): portal/views_services.py
    path("services/claims/new/", views_services.claim_new, name="claim-new"),
    path("services/bank-card/", views_services.bank_card, name="bank-card"),
    path("services/recuperation/", views_services.recuperation, name="recuperation"),
    path("services/stations/", views_services.stations, name="stations"),
    # The member's account (portal/views_account.py)
    path("confirm/", views_account.confirm, name="confirm"),
    path("me/data/", views_account.my_data, name="my-data"),
    path("me/data/download/", views_account.my_data_download, name="my-data-download"),
    path("messages/", views_account.my_messages, name="messages"),
    path("phone-change/", views_account.phone_change, name="phone-change"),
    path("services/hardship/", views_services.hardship, name="hardship"),
    path("services/transfer/", views_services.transfer, name="transfer"),
    path("services/legal/", views_services.legal, name="legal"),
    path("services/legal/<int:pk>/", views_services.legal_question, name="legal-question"),
    path("services/jobs/", views_jobs.jobs, name="jobs"),
    path("services/honours/", views_services.honours, name="honours"),
    path("services/ideas/", views_services.ideas, name="ideas"),
    path("services/ideas/<int:pk>/photo/", views_services.idea_photo, name="idea-photo"),
]
