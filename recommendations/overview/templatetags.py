from django import template

register = template.Library()


@register.filter
def rate(counts, name):
    """``counts|rate:"acceptance"``: one of the rates of a Counts."""
    return counts.rate(name)


@register.filter
def percent(value):
    return f"{value:.0%}"
