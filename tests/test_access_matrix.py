"""Every non-public URL is checked for every role; a URL without an entry in
``tests/<app>/access.py`` fails the first test."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.access import ROLES, AccessContext
from tests.factories import make_partner, make_point, make_user

# The Django admin has its own permission system (is_staff + model
# permissions) and is tested separately.
SKIPPED_NAMESPACES = {"admin"}


def _collect_access() -> dict:
    table = {}
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            access = importlib.import_module(f"tests.{module.name}.access")
        except ModuleNotFoundError:
            continue
        overlap = set(table) & set(access.ACCESS)
        assert not overlap, f"declared twice: {overlap}"
        table.update(access.ACCESS)
    return table


ACCESS = _collect_access()


def _url_names(resolver=None, prefix="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace in SKIPPED_NAMESPACES:
                continue
            names |= _url_names(entry, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_named_url_declares_who_may_use_it():
    missing = sorted(_url_names() - set(ACCESS))
    assert not missing, f"add these URLs to tests/<app>/access.py: {missing}"


def test_access_table_names_only_existing_urls():
    stale = sorted(set(ACCESS) - _url_names())
    assert not stale, f"these entries name no URL: {stale}"


@pytest.fixture
def access_context(db):
    point = make_point("Matrix point")
    partner = make_partner("Matrix partner")
    users = {
        role: make_user(role, username=f"matrix-{role}", points=[point],
                        partner=partner if role == "partner" else None)
        for role in ROLES
    }
    return AccessContext(point=point, partner=partner, users=users)


def _request(client, name, rule, ctx):
    kwargs = rule.kwargs(ctx) if rule.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    data = rule.data(ctx) if rule.data else {}
    if rule.method == "post":
        return client.post(url, data)
    return client.get(url, data)


CASES = [(name, role) for name in sorted(ACCESS) for role in (*ROLES, None)]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r or 'anonymous'}" for n, r in CASES])
def test_role_access(client, access_context, name, role):
    rule = ACCESS[name]
    if role is not None:
        client.force_login(access_context.users[role])
    response = _request(client, name, rule, access_context)
    login_redirect = response.status_code == 302 and "/aanmelden/" in response.get("Location", "")
    if rule.is_public or (role is not None and role in rule.roles):
        if rule.expect:
            assert response.status_code in rule.expect, f"{name} gave {role} {response.status_code}"
            return
        assert response.status_code < 400, f"{name} refused {role}: {response.status_code}"
        assert not login_redirect, f"{name} sent {role} to the login page"
    elif role is None:
        assert login_redirect, f"{name} let an anonymous visitor in: {response.status_code}"
    else:
        assert response.status_code in rule.denied, (
            f"{name} let {role} in: {response.status_code}"
        )


ELSEWHERE = [(name, role) for name in sorted(ACCESS)
             if ACCESS[name].elsewhere and not ACCESS[name].elsewhere_hides
             for role in sorted(ACCESS[name].roles - ACCESS[name].everywhere)]
HIDDEN_ELSEWHERE = [(name, role) for name in sorted(ACCESS) if ACCESS[name].elsewhere_hides
                    for role in sorted(ACCESS[name].roles)]


@pytest.mark.parametrize(("name", "role"), ELSEWHERE,
                         ids=[f"{n}-{r}-elsewhere" for n, r in ELSEWHERE])
def test_role_is_refused_on_an_object_of_another_point(client, access_context, name, role):
    rule = ACCESS[name]
    client.force_login(access_context.users[role])
    url = reverse(name, kwargs=rule.elsewhere(access_context))
    data = rule.data(access_context) if rule.data else {}
    response = client.post(url, data) if rule.method == "post" else client.get(url, data)
    assert response.status_code == 403, f"{name} let {role} act elsewhere: {response.status_code}"


@pytest.mark.parametrize(("name", "role"), HIDDEN_ELSEWHERE,
                         ids=[f"{n}-{r}-elsewhere" for n, r in HIDDEN_ELSEWHERE])
def test_role_sees_no_personal_data_on_an_object_of_another_point(client, access_context,
                                                                  name, role):
    rule = ACCESS[name]
    client.force_login(access_context.users[role])
    response = client.get(reverse(name, kwargs=rule.elsewhere(access_context)))
    assert response.status_code == 200, f"{name} refused {role}: {response.status_code}"
    shown = rule.elsewhere_hides(access_context) in response.content.decode()
    assert shown == (role in rule.everywhere), (
        f"{name} {'showed' if shown else 'hid'} the participants to {role} elsewhere")
