"""Generate a corpus of synthetic NCPI press releases for benchmarking ``ncpi-extract batch``.

Every release is assembled from the templates below (written for this script, not taken
from the fixtures): a headline, a dated lead naming the inspectorate, fieldwork, lists of
strengths and concerns in one of several cue wordings and bullet styles, prose findings,
quotations from the inspector and sometimes the force or the commissioner, a report
link, notes to editors and press-office contacts; any part but the headline and lead may
be left out or moved. Files vary in format (text, Markdown, HTML, hard-wrapped newswire
text), encoding (UTF-8, UTF-8 with BOM, Windows-1252, CRLF line ends) and a few hold two
or three releases in a row. The same seed gives the same corpus, byte for byte.

    python benchmarks/generate_corpus.py OUT_DIR [--releases 5000] [--seed 1]
"""

from __future__ import annotations

import argparse
import html
import random
import re
import shutil
import textwrap
from pathlib import Path

FORCES = [
    ("avon-and-somerset", "Avon and Somerset Constabulary", "Avon and Somerset"), ("bedfordshire", "Bedfordshire Police", "Bedfordshire"),
    ("cambridgeshire", "Cambridgeshire Constabulary", "Cambridgeshire"), ("cheshire", "Cheshire Constabulary", "Cheshire"),
    ("city-of-london", "City of London Police", "City of London"), ("cleveland", "Cleveland Police", "Cleveland"),
    ("cumbria", "Cumbria Constabulary", "Cumbria"), ("derbyshire", "Derbyshire Constabulary", "Derbyshire"),
    ("devon-and-cornwall", "Devon and Cornwall Police", "Devon and Cornwall"), ("dorset", "Dorset Police", "Dorset"),
    ("durham", "Durham Constabulary", "Durham"), ("dyfed-powys", "Dyfed-Powys Police", "Dyfed-Powys"),
    ("essex", "Essex Police", "Essex"), ("gloucestershire", "Gloucestershire Constabulary", "Gloucestershire"),
    ("greater-manchester", "Greater Manchester Police", "Greater Manchester"), ("gwent", "Gwent Police", "Gwent"),
    ("hampshire", "Hampshire Constabulary", "Hampshire"), ("hertfordshire", "Hertfordshire Constabulary", "Hertfordshire"),
    ("humberside", "Humberside Police", "Humberside"), ("kent", "Kent Police", "Kent"),
    ("lancashire", "Lancashire Constabulary", "Lancashire"), ("leicestershire", "Leicestershire Police", "Leicestershire"),
    ("lincolnshire", "Lincolnshire Police", "Lincolnshire"), ("merseyside", "Merseyside Police", "Merseyside"),
    ("metropolitan", "Metropolitan Police Service", "Metropolitan"), ("norfolk", "Norfolk Constabulary", "Norfolk"),
    ("north-wales", "North Wales Police", "North Wales"), ("north-yorkshire", "North Yorkshire Police", "North Yorkshire"),
    ("northamptonshire", "Northamptonshire Police", "Northamptonshire"), ("northumbria", "Northumbria Police", "Northumbria"),
    ("nottinghamshire", "Nottinghamshire Police", "Nottinghamshire"), ("south-wales", "South Wales Police", "South Wales"),
    ("south-yorkshire", "South Yorkshire Police", "South Yorkshire"), ("staffordshire", "Staffordshire Police", "Staffordshire"),
    ("suffolk", "Suffolk Constabulary", "Suffolk"), ("surrey", "Surrey Police", "Surrey"), ("sussex", "Sussex Police", "Sussex"),
    ("thames-valley", "Thames Valley Police", "Thames Valley"), ("warwickshire", "Warwickshire Police", "Warwickshire"),
    ("west-mercia", "West Mercia Police", "West Mercia"), ("west-midlands", "West Midlands Police", "West Midlands"),
    ("west-yorkshire", "West Yorkshire Police", "West Yorkshire"), ("wiltshire", "Wiltshire Police", "Wiltshire"),
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
FIRST = ["Alys", "Bronwen", "Callum", "Deepa", "Eamon", "Farah", "Gideon", "Harriet", "Idris", "Jocelyn", "Kwame", "Lorna",
         "Marcus", "Niamh", "Oluwaseun", "Perpetua", "Quentin", "Rhiannon", "Sanjay", "Tabitha", "Ulrich", "Verity", "Wilfred", "Yasmin"]
LAST = ["Abernathy", "Blackwood", "Castellano", "Drummond", "Eastleigh", "Fairweather", "Gallacher", "Hollingsworth", "Inchbald",
        "Jessop", "Kettering", "Lockhart", "Merriweather", "Nightingale", "Okonkwo", "Pemberton", "Quarrie", "Rutherford",
        "Sheringham", "Thistlewood", "Underhill", "Vasquez", "Whitcombe", "Yeardley"]

HEADLINES = [
    "{force} must do more to protect children at risk, says {insp}",
    "{force} child protection: inspection report published",
    "{force} making progress on child protection, {insp} finds",
    "Children in {short} let down by slow police response",
    "{force} has a strong commitment to children but must act faster",
    "{short} – National child protection {stage_noun}",
    "Inspectors find improvements in how {force} protects children",
    "{force} told to improve its response to missing children",
    "Mixed picture for vulnerable children in {short}, report finds",
    "{force} praised for work with schools, but concerns remain",
]
LEADS = [
    "{insp_long} ({insp}) has today published the report of its {stage_noun} of the child protection work of {force}.",
    "{force} needs to improve how it protects children at risk, according to a report published today by {insp_long} ({insp}).",
    "{insp_long} ({insp}) has published its {stage_noun} of {force}, which looked at how well the force keeps children safe.",
    "{insp} has today published the findings of its {stage_noun} of {force}, one of a series covering every force in England and Wales.",
    "Today {insp} published a report on how well {force} protects children who need help and protection.",
]
FIELDWORK = [
    "The inspection took place in {m1} {year}.",
    "Inspectors visited the force between {d1} and {d2} {m1} {year}, examining {cases} cases involving children.",
    "Fieldwork was carried out in {m1} and {m2} {year}, and inspectors spoke to officers, staff and partner agencies.",
    "{insp} revisited the force in {m1} {year} to check its progress against the recommendations of its earlier report.",
    "The {stage_noun} was carried out during {m1} {year} and included interviews with social workers and health staff.",
]
STRENGTH_CUES = [
    "Inspectors were pleased to find:", "Inspectors found a number of strengths, including:", "Positive findings include:",
    "{insp} identified the following areas of good practice:", "Inspectors were impressed by:", "The report highlights that:",
]
CONCERN_CUES = [
    "However, inspectors were concerned to find:", "However, the force needs to improve:", "Areas for improvement include:",
    "The report also identifies areas for improvement:", "However, {insp} found that specific areas for the force to improve included:",
    "Inspectors identified the following causes of concern:",
]
STRENGTHS = [
    "the chief constable has made the protection of vulnerable children a clear priority, and this is understood by officers at every level",
    "officers attending incidents of domestic abuse routinely speak to the children present and record what they say",
    "the force's online child abuse team has cleared its backlog of referrals from the national agency",
    "good working relationships with children's social care in the multi-agency safeguarding hub",
    "a daily meeting reviews the risk to every child reported missing in the previous 24 hours",
    "custody staff routinely ask the local authority for accommodation for children who have been charged",
    "specialist officers in the child abuse investigation unit are knowledgeable and committed",
    "the force works closely with schools under Operation Encompass, so that teachers can support affected pupils",
    "registered sex offenders are visited on time and the risk they present is reviewed regularly",
    "call handlers are skilled at recognising when a caller may be vulnerable",
    "victims of exploitation are supported by the same officer from the start of the investigation to its end",
    "a new training package on recognising child sexual exploitation has been delivered to frontline officers",
    "supervisors now review every child abuse investigation within seven days",
    "the force has invested in a trusted adult scheme for children who have been exploited",
]
CONCERNS = [
    "a significant number of child abuse investigations had been allowed to drift, with long delays before suspects were interviewed",
    "supervisors' reviews of investigations were often brief and did not set clear actions",
    "children who go missing repeatedly are not always recognised as being at risk of sexual exploitation",
    "too many children who have been charged are kept in police custody overnight",
    "officers do not always record the views, behaviour or demeanour of children at incidents",
    "information about children at risk is not always shared with children's social care in time",
    "the quality of risk assessments for children at risk of criminal exploitation remains inconsistent",
    "investigations into indecent images of children are delayed by a backlog of devices awaiting examination",
    "strategy discussions with partner agencies are often held late or not at all",
    "the force's computer systems do not link records of the same child, so information is missed",
    "call handlers sometimes give a low priority to calls about children without checking previous incidents",
    "workloads in the public protection unit are too high, and some staff report low morale",
    "the management of registered sex offenders, as visits are overdue in a third of cases",
    "return interviews for missing children are not consistently completed or shared",
]
URGENT = [", which must be addressed as a matter of urgency", ", and the force must act on this immediately",
          ", which requires immediate action", ", which the force needs to address urgently"]
PROSE_STRENGTH = [
    "Inspectors were impressed by the force's work with schools, which means a teacher is told before the next school day when a child has been affected by domestic abuse.",
    "Inspectors were also impressed by the way officers build relationships with children who repeatedly go missing from home.",
]
PROSE_CONCERN = [
    "The report raised concerns about the number of child abuse investigations that had no clear plan.",
    "{insp} also found that the force needs to improve how it shares information with health partners, particularly at weekends.",
    "{insp} also found that the force must urgently review its approach to children at risk of criminal exploitation.",
]
QUOTES = [
    "{force} has clearly put the protection of children at the heart of its work, and I was struck by the dedication of the officers and staff we met.",
    "However, too many of the investigations we examined had been left to drift, and the children involved deserve better.",
    "I am pleased that the force has taken our earlier findings seriously, but there is still work to do.",
    "Children at risk of exploitation cannot wait, and I expect to see rapid progress in the coming months.",
    "The force now needs to make sure that every officer who investigates offences against children has the training and support to do the job well.",
    "I have asked the chief constable to send me an action plan within six weeks, and we will return to check on progress.",
]
RESPONSES = [
    "We accept the findings of this report in full. Work is already under way to improve supervision and training.",
    "I welcome this report and will be holding the chief constable to account for the improvements it calls for.",
    "We are pleased that inspectors have recognised the progress we have made, and we will act on every recommendation.",
]
NOTES = [
    "{insp} independently assesses the effectiveness and efficiency of police forces in the public interest.",
    "The national child protection inspection programme looks at how well each force in England and Wales protects children at risk.",
    "{insp} will return to the force within six months to check the progress it has made.",
    "Each inspection examines the whole of a force's response to children, from the first call for help to the end of an investigation.",
    "Progress updates record what a force has done since its inspection to act on the recommendations.",
]
CONTACTS = [
    "For further information, the {insp} press office can be contacted on 020 7946 0{n3} from 8:30am – 5:00pm Monday – Friday.",
    "Journalists can call the {insp} press office on 020 7946 0{n3} or e-mail press.office@{insp_lower}.example.gov.uk.",
    "Out of hours, for urgent media enquiries only: 07700 900{n3}.",
]
BULLETS = ["\u2022 ", "- ", "* ", "\u2013 ", "number", "letter", "  \u2022 "]
STAGES = [("inspection", 6), ("post-inspection review", 2), ("re-inspection", 1), ("progress update", 1)]


def _inspectorate(year: int, month: int) -> tuple[str, str]:
    majesty = "His Majesty\u2019s" if (year, month) >= (2022, 9) else "Her Majesty\u2019s"
    if (year, month) >= (2017, 7):
        return "HMICFRS", f"{majesty} Inspectorate of Constabulary and Fire & Rescue Services"
    return "HMIC", f"{majesty} Inspectorate of Constabulary"


def _curly(text: str) -> str:
    return text.replace("'", "\u2019")


def _items(rng: random.Random, pool: list[str], k: int, urgent: bool) -> list[str]:
    chosen = rng.sample(pool, k)
    out = []
    for i, item in enumerate(chosen):
        text = _curly(item)
        if urgent and rng.random() < 0.3:
            text += rng.choice(URGENT)
        end = ";" if i < k - 2 else ("; and" if i == k - 2 else ".")
        out.append(text + end if rng.random() < 0.8 else text)
    return out


def _bullet(style: str, i: int, text: str) -> str:
    if style == "number":
        return f"{i + 1}. {text}"
    if style == "letter":
        return f"({'abcdefgh'[i]}) {text}"
    return style + text


def make_release(rng: random.Random) -> tuple[list[tuple[str, str]], dict]:
    """One release as (kind, text) blocks; kind is 'headline', 'para', 'cue', 'item', 'quote', 'heading'."""
    fid, force, short = rng.choice(FORCES)
    year = rng.randint(2014, 2024)
    month = rng.randint(1, 12)
    insp, insp_long = _inspectorate(year, month)
    stage = rng.choices([s for s, _ in STAGES], [w for _, w in STAGES])[0]
    fmt = {"force": force, "short": short, "insp": insp, "insp_long": insp_long, "stage_noun": stage, "year": year,
           "m1": MONTHS[month - 1], "m2": MONTHS[month % 12], "d1": rng.randint(1, 12), "d2": rng.randint(13, 28),
           "cases": rng.randint(40, 400), "n3": rng.randint(100, 999), "insp_lower": insp.lower()}
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    blocks: list[tuple[str, str]] = [("headline", rng.choice(HEADLINES).format(**fmt))]
    if rng.random() < 0.4:
        blocks.append(("para", f"Published {rng.randint(1, 28)} {MONTHS[(month + 1) % 12]} {year}"))
    blocks.append(("para", _curly(rng.choice(LEADS).format(**fmt))))
    blocks.append(("para", _curly(rng.choice(FIELDWORK).format(**fmt))))
    report_title = f"{short} \u2013 National child protection {stage}"
    early_report = rng.random() < 0.3
    if early_report:
        blocks += [("para", "Get the report"), ("para", report_title)]
    style = rng.choice(BULLETS)
    parts = []
    if rng.random() < 0.9:
        parts.append([("cue", rng.choice(STRENGTH_CUES).format(**fmt))]
                     + [("item", _bullet(style, i, t)) for i, t in enumerate(_items(rng, STRENGTHS, rng.randint(2, 6), False))])
    if rng.random() < 0.95:
        parts.append([("cue", rng.choice(CONCERN_CUES).format(**fmt))]
                     + [("item", _bullet(style, i, t)) for i, t in enumerate(_items(rng, CONCERNS, rng.randint(2, 6), True))])
    if rng.random() < 0.2:
        rng.shuffle(parts)
    for part in parts:
        blocks += part
    for pool in (PROSE_STRENGTH, PROSE_CONCERN):
        if rng.random() < 0.3:
            blocks.append(("para", _curly(rng.choice(pool).format(**fmt))))
    if rng.random() < 0.92:
        blocks.append(("para", rng.choice([f"HM Inspector of Constabulary {name} said:", f"{name}, HM Inspector of Constabulary, said:",
                                           f"{insp_long.split(' Inspectorate')[0]} Inspector of Constabulary {name} said:"])))
        for text in rng.sample(QUOTES, rng.randint(1, 3)):
            blocks.append(("quote", _curly(text.format(**fmt))))
    if rng.random() < 0.4:
        who = rng.choice(["Police and Crime Commissioner", "Chief Constable", "Assistant Chief Constable"])
        blocks.append(("para", f"{who}, {rng.choice(FIRST)} {rng.choice(LAST)} said:"))
        blocks.append(("quote", rng.choice(RESPONSES)))
    if not early_report and rng.random() < 0.85:
        blocks += [("para", "Get the report"), ("para", report_title)]
    if rng.random() < 0.85:
        blocks.append(("heading", rng.choice(["Notes to editors", "Notes", "Editor information", "Notes to editors"])))
        notes = [n.format(**fmt) for n in rng.sample(NOTES, rng.randint(2, 4))]
        notes += [c.format(**fmt) for c in rng.sample(CONTACTS, rng.randint(1, 2))]
        blocks += [("note", f"{i + 1}. {_curly(n)}") for i, n in enumerate(notes)]
    return blocks, {"force": fid, "year": year}


def render_text(blocks: list[tuple[str, str]], rng: random.Random, *, wrap: int | None = None) -> str:
    lines: list[str] = []
    prev = None
    for kind, text in blocks:
        if kind == "quote":
            text = f"\u201c{text}\u201d"
        if wrap and kind in ("para", "quote", "headline"):
            text = "\n".join(textwrap.wrap(text, wrap))
        elif wrap and kind in ("item", "note"):
            text = "\n".join(textwrap.wrap(text, wrap, subsequent_indent="  "))
        tight = kind in ("item", "note") and prev == kind and rng.random() < 0.7
        if lines and not tight:
            lines.append("")
        lines.append(text)
        prev = kind
    return "\n".join(lines) + "\n"


def render_markdown(blocks: list[tuple[str, str]]) -> str:
    out = []
    for kind, text in blocks:
        if kind == "headline":
            out.append(f"# {text}")
        elif kind == "heading":
            out.append(f"## {text}")
        elif kind == "cue":
            out.append(f"**{text}**")
        elif kind == "quote":
            out.append(f"> \u201c{text}\u201d")
        elif kind == "item":
            out.append("- " + text.lstrip("\u2022-*\u2013 "))
        else:
            out.append(text)
    text = ""
    for i, line in enumerate(out):
        tight = i and blocks[i][0] in ("item", "note") and blocks[i - 1][0] == blocks[i][0]
        text += ("\n" if tight else "\n\n" if i else "") + line
    return text + "\n"


_MARKER = re.compile(r"^\s*(?:[\u2022\-*\u2013]\s+|\d+\.\s+|\([a-h]\)\s+)")


def render_html(releases: list[list[tuple[str, str]]], title: str) -> str:
    body = []
    for blocks in releases:
        parts, items, items_kind = ["<article>"], [], "item"
        for kind, text in blocks + [("end", "")]:
            if kind in ("item", "note"):
                items.append(text)
                items_kind = kind
                continue
            if items:
                tag = "ol" if items_kind == "note" else "ul"
                parts.append(f"<{tag}>" + "".join(f"<li>{html.escape(_MARKER.sub('', t))}</li>" for t in items) + f"</{tag}>")
                items = []
            if kind == "headline":
                parts.append(f"<h1>{html.escape(text)}</h1>")
            elif kind == "heading":
                parts.append(f"<h2>{html.escape(text)}</h2>")
            elif kind == "quote":
                parts.append(f"<blockquote><p>\u201c{html.escape(text)}\u201d</p></blockquote>")
            elif kind != "end":
                parts.append(f"<p>{html.escape(text)}</p>")
        parts.append("</article>")
        body.append("\n".join(parts))
    return ("<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>" + html.escape(title) + "</title>"
            "<script>window.dataLayer=[];</script></head>\n<body><div class=\"cookie-banner\"><p>We use cookies.</p></div>"
            "<nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/news/\">News</a></li></ul></nav>\n<main>\n"
            + "\n".join(body) + "\n</main><footer><p>\u00a9 Crown copyright</p></footer></body></html>\n")


def generate(out_dir: Path, releases: int = 5000, seed: int = 1) -> dict[str, int]:
    """Write files holding ``releases`` releases in all under ``out_dir``; returns counts."""
    rng = random.Random(seed)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    made = files = bundles = 0
    counts: dict[str, int] = {}
    while made < releases:
        per_file = 1 if rng.random() < 0.97 else rng.randint(2, 3)
        per_file = min(per_file, releases - made)
        group = [make_release(rng) for _ in range(per_file)]
        blocks = [g[0] for g in group]
        meta = group[0][1]
        kind = rng.choices(["text", "markdown", "html", "newswire"], [80, 8, 8, 4])[0]
        if per_file > 1:
            bundles += 1
        stem = f"{meta['year']}/{meta['force']}-{files:05d}"
        if kind == "html":
            data = render_html(blocks, blocks[0][0][1]).encode("utf-8")
            name = stem + rng.choice([".html", ".htm"])
        else:
            if kind == "markdown":
                texts = [render_markdown(b) for b in blocks]
            else:
                texts = [render_text(b, rng, wrap=rng.choice([60, 66, 72]) if kind == "newswire" else None) for b in blocks]
            separator = rng.choice(["\n", "\n\n-----\n\n", "\n\nENDS\n\n"]) if per_file > 1 else ""
            text = separator.join(texts)
            encoding = rng.choices(["utf-8", "utf-8-sig", "cp1252", "crlf"], [85, 5, 5, 5])[0]
            if encoding == "crlf":
                data = text.replace("\n", "\r\n").encode("utf-8")
            elif encoding == "cp1252":
                data = text.encode("cp1252", errors="replace")
            else:
                data = text.encode(encoding)
            name = stem + (".md" if kind == "markdown" else ".txt")
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        counts[kind] = counts.get(kind, 0) + 1
        files += 1
        made += per_file
    return {"releases": made, "files": files, "bundles": bundles, **counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--releases", type=int, default=5000, help="how many releases in all (default 5000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(generate(args.out_dir, args.releases, args.seed))


if __name__ == "__main__":
    main()
