"""`python -m insights`: the report on the conversations in the tracker store.

Writes one self-contained HTML page (--out, default reports/insights.html) and prints a short
summary; with --json, prints the report's figures as JSON instead of the summary (the HTML is
still written). Exit status: 0 on success (also for an empty store), 1 when the store cannot be
read or holds another assistant's conversations, 2 on bad options.
"""

import argparse
import datetime
import sys
from pathlib import Path
from typing import List, Optional

from insights import quiet_dependency_warnings
from insights.outcomes import ForeignStoreError
from insights.render import OUTCOME_LABELS, render_html
from insights.report import Report, build_report
from insights.store import StoreError, engine_from_endpoints


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m insights",
        description="Report on the conversations in the tracker store that endpoints.yml names.",
    )
    parser.add_argument("--endpoints", default="endpoints.yml", help="default: %(default)s")
    parser.add_argument("--since", type=_date, help="first day to include, YYYY-MM-DD (UTC)")
    parser.add_argument("--until", type=_date, help="last day to include, YYYY-MM-DD (UTC)")
    parser.add_argument("--out", type=Path, default=Path("reports/insights.html"))
    parser.add_argument(
        "--json", action="store_true", help="print the figures as JSON instead of the summary"
    )
    args = parser.parse_args(argv)
    if args.since and args.until and args.since > args.until:
        parser.error("--since is after --until")
    return args


def summary(report: Report, out: Path) -> str:
    if report.empty:
        return f"No user messages in this period. Empty report written to {out}."
    shares = ", ".join(
        f"{OUTCOME_LABELS[name]} {100 * share:.1f}%"
        for name, share in report.outcome_shares.items()
        if share
    )
    top = next(iter(report.unanswered_groups), None)
    lines = [
        f"{report.conversations} conversations, {report.user_messages} user messages "
        f"({report.first_message} to {report.last_message}).",
        f"Outcomes: {shares}.",
        f"Unanswered: {report.unanswered_total} in {report.unanswered_group_count} groups"
        + (f"; most frequent: {top['label']!r} ({top['count']})." if top else "."),
        f"Median conversation: {report.median_conversation_length:g} user messages.",
        f"Report written to {out}.",
    ]
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    quiet_dependency_warnings()
    args = parse_args(argv)
    try:
        engine = engine_from_endpoints(args.endpoints)
        report = build_report(engine, args.since, args.until, progress=True)
    except (StoreError, ForeignStoreError) as error:
        print(f"insights: {error}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_html(report), encoding="utf-8")
    print(report.to_json() if args.json else summary(report, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
