"""The search criteria of the Directory Service (``filters``, ``sorting``, ``fields``, ``include``,
``limit``, ``ignore``), read and checked against the document's schemas.

Anything the schemas refuse is a 400 in the ``Error`` format naming the member at fault;
members the schemas do not know are ignored, as the schemas allow them.
"""

import json
import re
from dataclasses import dataclass, field

from facturier.apiclients.errors import ApiError

STRICT = ("strict",)
DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
INT32_MAX = 2**31 - 1


@dataclass(frozen=True)
class Text:
    """The schema of a filter's value: a string of at most ``max_length``, matching ``pattern`` or in ``enum``."""

    max_length: int
    pattern: str = ""
    enum: tuple = ()

    def check(self, name, value):
        if not isinstance(value, str):
            raise bad(f"filters.{name}.value must be a string")
        if "\x00" in value:
            raise bad(f"filters.{name}.value holds a NUL character")
        if len(value) > self.max_length:
            raise bad(f"filters.{name}.value is longer than {self.max_length} characters")
        if self.pattern and not re.search(self.pattern, value):
            raise bad(f"filters.{name}.value does not match {self.pattern}")
        if self.enum and value not in self.enum:
            raise bad(f"filters.{name}.value must be one of {', '.join(self.enum)}")
        return value


@dataclass(frozen=True)
class Filter:
    """One filter a search accepts: its operators, its value's schema, and how it narrows a queryset
    (``apply(queryset, op, value)``)."""

    ops: tuple
    value: Text
    apply: object


@dataclass
class Search:
    filters: list = field(default_factory=list)  # [(name, Filter, op, value)]
    sorting: list = field(default_factory=list)  # [(field name, descending)]
    fields: list = field(default_factory=list)
    include: list = field(default_factory=list)
    limit: int = DEFAULT_LIMIT
    ignore: int = 0

    def narrow(self, queryset):
        for _name, spec, op, value in self.filters:
            queryset = spec.apply(queryset, op, value)
        return queryset

    def echo(self):
        """The search as applied, for the answer's ``search`` member."""
        echoed = {"limit": self.limit, "ignore": self.ignore}
        if self.filters:
            echoed["filters"] = {name: {"op": op, "value": value} for name, _spec, op, value in self.filters}
        if self.sorting:
            echoed["sorting"] = [{"field": name, "order": "descending" if descending else "ascending"}
                                 for name, descending in self.sorting]
        if self.fields:
            echoed["fields"] = self.fields
        if self.include:
            echoed["include"] = self.include
        return echoed

    def order_by(self, columns, tie_breakers):
        """ORM ordering: the sorting asked for (fields mapped to ``columns``; unmapped ones are constant
        here and ignored), then ``tie_breakers`` so pages never skip or repeat a row."""
        ordering = [("-" if descending else "") + columns[name] for name, descending in self.sorting
                    if name in columns]
        return ordering + [column for column in tie_breakers if column not in ordering]

    def page(self, queryset):
        return queryset[self.ignore:self.ignore + self.limit]


def bad(message):
    return ApiError(400, "INVALID_REQUEST", message)


def json_body(request):
    """The request's JSON object (an empty body is an empty search)."""
    if not request.body.strip():
        return {}
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise bad("The body is not valid JSON") from None
    if not isinstance(body, dict):
        raise bad("The body must be a JSON object")
    return body


def read_search(body, filters, field_names, include_names=()):
    """The ``Search`` a request body asks for, given the resource's filters and field names."""
    return Search(
        filters=read_filters(body.get("filters"), filters),
        sorting=read_sorting(body.get("sorting"), field_names),
        fields=read_names(body.get("fields"), field_names, "fields"),
        include=read_names(body.get("include"), include_names, "include"),
        limit=read_count(body, "limit", DEFAULT_LIMIT),
        ignore=read_count(body, "ignore", 0),
    )


def read_filters(value, known):
    if value is None:
        return []
    if not isinstance(value, dict):
        raise bad("filters must be an object")
    chosen = []
    for name, criterion in value.items():
        if name not in known:
            continue
        if not isinstance(criterion, dict):
            raise bad(f"filters.{name} must be an object")
        spec = known[name]
        op = criterion.get("op", spec.ops[0] if len(spec.ops) == 1 else "strict")
        if op not in spec.ops:
            raise bad(f"filters.{name}.op must be one of {', '.join(spec.ops)}")
        if "value" in criterion:
            chosen.append((name, spec, op, spec.value.check(name, criterion["value"])))
    return chosen


def read_sorting(value, field_names):
    if value is None:
        return []
    if not isinstance(value, list):
        raise bad("sorting must be an array")
    sorting = []
    for item in value:
        if not isinstance(item, dict):
            raise bad("sorting items must be objects")
        name, order = item.get("field"), item.get("order", "ascending")
        if name is not None and name not in field_names:
            raise bad(f"sorting.field must be one of {', '.join(field_names)}")
        if order not in ("ascending", "descending"):
            raise bad("sorting.order must be ascending or descending")
        if name is not None:
            sorting.append((name, order == "descending"))
    return sorting


def read_names(value, allowed, member):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise bad(f"{member} must be an array of strings")
    unknown = [name for name in value if name not in allowed]
    if unknown:
        raise bad(f"{member} may hold only {', '.join(allowed)}")
    return list(dict.fromkeys(value))


def read_count(body, member, default):
    value = body.get(member, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= INT32_MAX:
        raise bad(f"{member} must be an integer between 0 and {INT32_MAX}")
    return min(value, MAX_LIMIT) if member == "limit" else value


def query_names(request, parameter, allowed):
    """A list query parameter (``fields``, ``include``): comma-separated (explode: false) or repeated."""
    names = [name.strip() for value in request.GET.getlist(parameter) for name in value.split(",") if name.strip()]
    return read_names(names, allowed, parameter)


def text_lookup(field_name, *, case_insensitive=True):
    """``apply`` for a text filter: strict is equality, contains and startWith the usual (ignoring case on names)."""
    lookups = {"strict": "iexact" if case_insensitive else "exact", "contains": "icontains",
               "startWith": "istartswith"}

    def apply(queryset, op, value):
        return queryset.filter(**{f"{field_name}__{lookups[op]}": value})

    return apply
