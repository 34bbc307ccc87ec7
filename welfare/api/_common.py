"""API machinery shared by several lines of work: the union fields and the base of the viewsets
that write through one named service per action."""

from rest_framework import serializers

UNION = serializers.SlugRelatedField(slug_field="code", read_only=True)
