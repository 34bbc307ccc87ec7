from rest_framework.routers import DefaultRouter

from skills import api

router = DefaultRouter()
router.register("competitions", api.CompetitionViewSet, basename="skills-competition")
router.register("entries", api.EntryViewSet, basename="skills-entry")
router.register("selections", api.SelectionViewSet, basename="skills-selection")
router.register("honours", api.HonourViewSet, basename="skills-honour")
router.register("certifications", api.CertificationViewSet, basename="skills-certification")
router.register("sessions", api.SessionViewSet, basename="skills-session")
router.register("academies", api.AcademyViewSet, basename="skills-academy")
router.register("alliances", api.AllianceViewSet, basename="skills-alliance")
router.register("studios", api.StudioViewSet, basename="skills-studio")
router.register("visits", api.VisitViewSet, basename="skills-visit")
router.register("ideas", api.IdeaViewSet, basename="skills-idea")
router.register("results", api.ResultViewSet, basename="skills-result")
router.register("problems", api.ProblemViewSet, basename="skills-problem")

urlpatterns = router.urls
