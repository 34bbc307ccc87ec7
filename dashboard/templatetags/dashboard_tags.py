from django import template

from dashboard.exports import plain

register = template.Library()


@register.filter
def figure(value):
    """A figure as people write it; None (no record computes it) is 暂无数据."""
    return plain(value)
