"""/api/v1/me/: the member API (portal/api.py)."""

from django.urls import path

from portal import api, api_services

app_name = "me"

urlpatterns = [
    path("", api.MeView.as_view(), name="card"),
    path("sign-in/code/", api.SignInCodeView.as_view(), name="sign-in-code"),
    path("sign-in/", api.SignInView.as_view(), name="sign-in"),
    path("sign-out/", api.SignOutView.as_view(), name="sign-out"),
    path("attendance/", api.AttendanceView.as_view(), name="attendance"),
    path("claims/", api_services.ClaimsView.as_view(), name="claims"),
    path("claims/<int:pk>/", api_services.ClaimDetailView.as_view(), name="claim"),
    path("cover/", api_services.CoverView.as_view(), name="cover"),
    path("hardship/", api_services.HardshipView.as_view(), name="hardship"),
    path("recuperation/", api_services.RecuperationView.as_view(), name="recuperation"),
    path("jobs/", api_services.JobsView.as_view(), name="jobs"),
    path("jobs/courses/sign-up/", api_services.CourseSignUpView.as_view(), name="course-sign-up"),
    path("jobs/fairs/sign-up/", api_services.FairSignUpView.as_view(), name="fair-sign-up"),
    path("legal/", api_services.LegalView.as_view(), name="legal"),
    path("legal/<int:pk>/", api_services.LegalDetailView.as_view(), name="legal-question"),
    path("transfer/", api_services.TransferView.as_view(), name="transfer"),
    path(
        "transfer-townships/",
        api_services.TransferTownshipsView.as_view(),
        name="transfer-townships",
    ),
    path("transfer-unions/", api_services.TransferUnionsView.as_view(), name="transfer-unions"),
    path("honours/", api_services.HonoursView.as_view(), name="honours"),
    path("ideas/", api_services.IdeasView.as_view(), name="ideas"),
    path("ideas/<int:pk>/photo/", api_services.IdeaPhotoView.as_view(), name="idea-photo"),
    path("stations/", api_services.StationsView.as_view(), name="stations"),
    path("corrections/", api_services.CorrectionsView.as_view(), name="corrections"),
    path("id-views/", api_services.IdViewsView.as_view(), name="id-views"),
    path("concerns/", api.ConcernsView.as_view(), name="concerns"),
    path("competitions/", api.CompetitionsView.as_view(), name="competitions"),
    path("competitions/enter/", api.CompetitionEnterView.as_view(), name="competition-enter"),
    path("check-in/", api.CheckInView.as_view(), name="check-in"),
    path("messages/", api.MessagesView.as_view(), name="messages"),
    path("step-up/code/", api.StepUpCodeView.as_view(), name="step-up-code"),
    path("personal-data/", api.PersonalDataView.as_view(), name="personal-data"),
    path("bank-card/", api.BankCardView.as_view(), name="bank-card"),
]
