"""Serving a golden idea's photo (金点子照片): the same answer on the member's portal page, in the
member API and on the idea's admin page. Each caller finds the idea among the rows its viewer may
see (404 otherwise); this only shapes the response."""

from django.http import FileResponse
from django.utils.cache import add_never_cache_headers

from skills.models import GoldenIdea


def idea_photo_response(idea: GoldenIdea) -> FileResponse:
    """The photo's bytes as stored, under the type its content was judged to be at upload (never
    sniffed again by the browser), and kept out of every cache: it may show a workplace or a
    person, and a shared phone or proxy must not hold a copy."""
    response = FileResponse(idea.photo.open("rb"), content_type=idea.photo_content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response
