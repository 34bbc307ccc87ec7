from rest_framework.routers import DefaultRouter

from welfare.api import (
    ClaimViewSet,
    ConcernViewSet,
    ConsultationViewSet,
    CourseViewSet,
    EnrolmentViewSet,
    InvestmentViewSet,
    JobFairViewSet,
    LegalEventViewSet,
    PayoutViewSet,
    PlanViewSet,
    ProgrammeViewSet,
    SiteViewSet,
    StationViewSet,
    WageContractViewSet,
)
from welfare.api.assistance import ASSISTANCE_ROUTES
from welfare.api.visits_by_leaders import (
    LeadershipVisitViewSet,
    MattersDueViewSet,
    ProposalViewSet,
)
from welfare.api.wages import EnterpriseYearViewSet, WageNegotiationViewSet

router = DefaultRouter()
router.register("plans", PlanViewSet, basename="welfare-plan")
router.register("enrolments", EnrolmentViewSet, basename="welfare-enrolment")
router.register("claims", ClaimViewSet, basename="welfare-claim")
router.register("payouts", PayoutViewSet, basename="welfare-payout")
router.register("concerns", ConcernViewSet, basename="welfare-concern")
router.register("stations", StationViewSet, basename="welfare-servicestation")
router.register(
    "recuperation-programmes", ProgrammeViewSet, basename="welfare-recuperationprogramme"
)
router.register("job-fairs", JobFairViewSet, basename="welfare-jobfair")
router.register("training-courses", CourseViewSet, basename="welfare-trainingcourse")
router.register("legal-aid-events", LegalEventViewSet, basename="welfare-legalaidevent")
router.register("legal-consultations", ConsultationViewSet, basename="welfare-legalconsultation")
router.register("labour-relations-sites", SiteViewSet, basename="welfare-labourrelationssite")
router.register(
    "grassroots-investments", InvestmentViewSet, basename="welfare-grassrootsinvestment"
)
router.register("leadership-visits", LeadershipVisitViewSet, basename="welfare-leadershipvisit")
router.register("proposals", ProposalViewSet, basename="welfare-proposal")
router.register("matters-due", MattersDueViewSet, basename="welfare-mattersdue")
router.register("wage-negotiations", WageNegotiationViewSet, basename="welfare-wagenegotiation")
router.register("wage-contracts", WageContractViewSet, basename="welfare-wagecontract")
router.register("enterprise-years", EnterpriseYearViewSet, basename="welfare-enterpriseyear")
for prefix, viewset, basename in ASSISTANCE_ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
