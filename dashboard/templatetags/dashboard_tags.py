from django import template
from django.utils.html import format_html

from dashboard.exports import plain, short

register = template.Library()


@register.filter
def figure(value):
    """A figure as people write it; None (no record computes it) is 暂无数据."""
    return plain(value)


@register.filter
def wan(value, unit=None):
    """A count of 10,000 or more in 万 (68.1万); `unit` is the indicator's unit code."""
    return short(value, unit)


@register.simple_tag
def number(value, unit=None):
    """A figure in 万 with its exact value on hover (the title), as leaders read it and as a
    clerk checks it."""
    text = short(value, unit)
    exact = plain(value)
    if text == exact:
        return text
    return format_html('<span class="wan" title="{}">{}</span>', exact, text)
