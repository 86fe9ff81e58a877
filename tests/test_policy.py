"""A bad policy stops the program with a message naming the key."""
import tomllib
from decimal import Decimal

import pytest

from desk.errors import PolicyError
from desk.policy import default_policy_path, load_policy, parse_policy


def raw():
    return tomllib.loads(default_policy_path().read_text(encoding="utf-8"))


def test_defaults_match_the_domain_brief(policy):
    assert policy.currency == "TWD" and policy.cash_threshold == Decimal(1000)
    assert policy.retention_years == 2 and policy.statutory_days == 15
    granting = [r for r in policy.roles_by_rank() if r.kinds]
    assert [r.per_case for r in granting] == [
        Decimal(500), Decimal(2000), Decimal(10000), Decimal(50000), None]
    # Finance grants nothing: it reviews and pays what others granted.
    assert policy.roles["finance"].kinds == frozenset()
    assert policy.roles["finance"].privileges == frozenset({"finance"})
    assert policy.top_role.key == "general_manager"
    assert policy.kinds_by_value()[0].key == "exchange"


@pytest.mark.parametrize("edit, key", [
    (lambda p: p["roles"]["clerk"].update(per_case="lots"), "roles.clerk.per_case"),
    (lambda p: p["roles"]["clerk"].update(per_case=-1), "roles.clerk.per_case"),
    (lambda p: p["roles"]["clerk"].update(kinds=["teleport"]), "roles.clerk.kinds"),
    (lambda p: p["site"].pop("currency"), "site.currency"),
    (lambda p: p["site"].update(currency="XYZ"), "site.currency"),
    (lambda p: p["site"].update(timezone="Mars/Olympus"), "site.timezone"),
    (lambda p: p["categories"]["facility"].update(level="level9"), "categories.facility.level"),
    (lambda p: p["sla"]["2"].update(resolution=0), "sla.2.resolution"),
    (lambda p: p["form"].update(tints=["#fff"]), "form.tints"),
    (lambda p: p["roles"]["supervisor"].update(rank=1), "roles"),
])
def test_bad_policy_names_the_key(edit, key):
    data = raw()
    edit(data)
    with pytest.raises(PolicyError) as err:
        parse_policy(data)
    assert key in str(err.value)


def test_hkd_and_cny_work():
    for currency in ("HKD", "CNY"):
        data = raw()
        data["site"]["currency"] = currency
        assert parse_policy(data).currency == currency


def test_broken_toml_file(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text("[site\nmall_name = 1", encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert "TOML" in str(err.value)
