"""Completes the PDF/UA tagging that WeasyPrint 70 writes, where a screen reader would notice.

WeasyPrint tags headings, paragraphs, lists, tables and figures from the HTML. Five things it
leaves short are finished here, on its PDF objects, just before the file is written:
- table header cells get /Scope (it links data cells to headers by /Headers and /ID only) and
  the structure tree gets the /IDTree those ids need;
- a link's description (/Contents) is its visible text, not the id it points to;
- a contents entry's page number, drawn after a leader of dots, reads as the number alone;
- a chart's alternative text is its SVG <title> and <desc>, as on the web page, not the title
  alone;
- running headers and footers (page margin boxes) are marked as artifacts: WeasyPrint tags
  them but leaves them outside the structure tree.
"""

import pydyf

SVG = "{http://www.w3.org/2000/svg}"


def pdf_ua_finisher(root_element):
    """A WeasyPrint finisher for the document parsed from `root_element` (the HTML's root)."""
    links = _link_texts(root_element)
    chart_texts = _chart_texts(root_element)

    def finish(document, pdf):
        elements = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"
        ]
        _scope_table_headers(pdf, elements)
        _add_id_tree(pdf, elements)
        _describe_links(pdf, links)
        _page_numbers_without_leaders(pdf, document, elements)
        _describe_charts(elements, chart_texts)
        _mark_margins_as_artifacts(pdf)

    return finish


def _text(element):
    return " ".join("".join(element.itertext()).split())


def _link_texts(root_element):
    texts = {}
    for link in root_element.iterfind(".//{*}a"):
        href = link.get("href")
        if href and _text(link):
            texts.setdefault(href.removeprefix("#"), _text(link))
    return texts


def _chart_texts(root_element):
    """Each SVG's full text alternative, queued by its title, in document order."""
    queued = {}
    for svg in root_element.iter(f"{SVG}svg"):
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        if title is None or not _text(title):
            continue
        full = _text(title) if desc is None else f"{_text(title)}. {_text(desc)}"
        queued.setdefault(_text(title), []).append(full)
    return queued


def _object(pdf, reference):
    return pdf.objects[int(reference.split()[0])]


def _scope_table_headers(pdf, elements):
    # The report templates put column headers in <thead>; a <th> in a body row heads its row.
    for element in elements:
        if element["S"] != "/TH":
            continue
        group = _object(pdf, _object(pdf, element["P"])["P"])
        element["A"]["Scope"] = "/Column" if group["S"] == "/THead" else "/Row"


def _add_id_tree(pdf, elements):
    ids = sorted(
        ((element["ID"].string, element) for element in elements if "ID" in element),
        key=lambda pair: pair[0],
    )
    if not ids:
        return
    names = pydyf.Array()
    for key, element in ids:
        names.extend([pydyf.String(key), element.reference])
    tree = pydyf.Dictionary({"Names": names})
    pdf.add_object(tree)
    _object(pdf, pdf.catalog["StructTreeRoot"])["IDTree"] = tree.reference


def _describe_links(pdf, links):
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Link":
            target = obj.get("Contents")
            if target is not None and target.string in links:
                obj["Contents"] = pydyf.String(links[target.string])


def _page_numbers_without_leaders(pdf, document, elements):
    """The contents' `a::after` (a leader and the target's page number) is a link inside the
    entry's link; its /ActualText, which stands for it and its leader, is the page number."""
    anchor_pages = {
        name: number for number, page in enumerate(document.pages, start=1) for name in page.anchors
    }

    def role(reference):
        return _object(pdf, reference).get("S")

    for element in elements:
        if element["S"] != "/Link" or role(element["P"]) != "/Link":
            continue
        if role(_object(pdf, element["P"])["P"]) == "/Link":
            continue  # the leader inside the page number's link
        for kid in element["K"]:
            target = _object(pdf, kid) if isinstance(kid, bytes) else None
            if target is None or target.get("Type") != "/OBJR":
                continue
            destination = _object(pdf, target["Obj"]).get("Dest")
            if destination is not None and destination.string in anchor_pages:
                element["ActualText"] = pydyf.String(str(anchor_pages[destination.string]))
                break


def _describe_charts(elements, chart_texts):
    # WeasyPrint creates one Figure per SVG, in document order, with the <title> as /Alt.
    for element in elements:
        alt = element.get("Alt") if element["S"] == "/Figure" else None
        title = " ".join(alt.string.split()) if alt is not None else None
        if chart_texts.get(title):
            element["Alt"] = pydyf.String(chart_texts[title].pop(0))


def _mark_margins_as_artifacts(pdf):
    """Rewrites the marked content of struct elements that the tree does not reach (WeasyPrint's
    margin boxes) as /Artifact, and drops what it rewrote from the parent tree."""
    structure_root = _object(pdf, pdf.catalog["StructTreeRoot"])
    reached = set()
    pending = list(structure_root["K"])
    while pending:
        obj = _object(pdf, pending.pop())
        if obj.number in reached:
            continue
        reached.add(obj.number)
        pending.extend(kid for kid in obj.get("K", ()) if isinstance(kid, bytes))
    nums = _object(pdf, structure_root["ParentTree"])["Nums"]
    pages = pdf.pages["Kids"][::3]
    for index, parents in zip(nums[::2], nums[1::2], strict=True):
        if not isinstance(parents, list) or index >= len(pages):
            continue
        loose = {
            mcid for mcid, parent in enumerate(parents) if int(parent.split()[0]) not in reached
        }
        if not loose:
            continue
        stream = _object(pdf, pdf.objects[pages[index]]["Contents"])
        ops = stream.stream
        for i in range(len(ops) - 3, -1, -1):
            properties = ops[i + 1]
            if (
                ops[i + 2] == b"BDC"
                and isinstance(properties, pydyf.Dictionary)
                and properties.get("MCID") in loose
            ):
                ops[i : i + 3] = ["/Artifact", b"BMC"]
                parents[properties["MCID"]] = "null"
