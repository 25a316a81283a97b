"""``jamsos regions list`` and ``jamsos regions resolve NAME...``."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("regions", help="list the region registry or resolve names to codes")
    rsub = p.add_subparsers(dest="regions_command", metavar="ACTION", required=True)
    lp = rsub.add_parser("list", help="print every region: code, type, official name")
    lp.add_argument("--province", help="only this province (two-digit code)")
    lp.set_defaults(func=run_list)
    rp = rsub.add_parser("resolve", help="print NAME<TAB>CODE<TAB>official name per name; exit 1 if any is unresolved")
    rp.add_argument("names", nargs="+", metavar="NAME")
    rp.add_argument("--type", dest="region_type", help="type for bare names: Kabupaten or Kota")
    rp.add_argument("--province", help="province for two-digit BPS codes and bare names (e.g. 35)")
    rp.set_defaults(func=run_resolve)


def run_list(args) -> int:
    from jamsos_lib.regions import load_registry

    reg = load_registry()
    t = reg.table
    if args.province:
        t = t[t["province_code"] == args.province]
    for r in t.itertuples(index=False):
        print(f"{r.region_code}\t{r.type}\t{r.official_name}")
    return 0


def run_resolve(args) -> int:
    from jamsos_lib.regions import load_registry

    reg = load_registry()
    failed = []
    for name in args.names:
        try:
            code = reg.resolve(name, region_type=args.region_type, province=args.province)
            print(f"{name}\t{code}\t{reg.official_name(code)}")
        except ValueError as exc:
            failed.append(str(exc))
    for msg in failed:
        print(f"jamsos: cannot resolve {msg}", file=sys.stderr)
    return 1 if failed else 0
