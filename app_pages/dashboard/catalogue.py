"""Service catalogue: every service on one page — what it is for, who owns it, what it
promises, its tiers and their prices — with its cost per user, the best market offer and its
value score beside them. Printable."""

import streamlit as st

from ui import data, render, state

source = data.shown_source()
render.page_title("Service catalogue")
if not source.choices.services:
    st.info("No services yet: upload a workbook with a Services sheet (the Upload & publish "
            "page has the template).")
    st.stop()

view = data.catalogue(source.key, state.quarter(), source.dataset)
# pills read their options as Markdown: a category is data, so it is escaped
chosen = st.pills("Category", view.categories, selection_mode="multi", key="catalogue_category",
                  format_func=render.md_inline,
                  help="Pick one or more; none picked shows every service.") or ()
render.caption(f"{view.shown_words(chosen)}. Figures for {view.quarter_label}; the catalogue "
               "is the same for every business unit.")
for finding in view.findings:
    st.warning(f"**For the IT director:** {render.md_inline(finding.message)}  \n"
               f"What to do: {render.md_inline(finding.fix)}", icon=":material/edit_note:")
if view.tier_note:
    st.info(render.md(view.tier_note), icon=":material/sell:")

for number, card in enumerate(view.cards_in(chosen)):
    with st.container(border=True, key=f"card_{number}"):  # printed whole (ui/screens.py)
        st.subheader(render.md_inline(card.service), anchor=False)
        render.caption(" · ".join([card.category, *(f"{label}: {text}"
                                                     for label, text in card.details)]))
        if card.value_proposition:
            render.text(card.value_proposition)
        else:
            st.markdown("*No value proposition yet.*")
        if not card.in_catalog:
            st.caption("Named in the costs, usage or support, but not in the Services sheet.")
        for column, (label, figure, note) in zip(st.columns(3), card.figures, strict=False):
            column.markdown(f"{render.md_inline(label)}  \n**{render.md_inline(figure)}**"
                            + (f" {render.md_inline(note)}" if note else ""))
        if view.has_offerings:
            if card.tiers.empty:
                st.caption("No tier in the Offerings sheet: one level of service, not charged "
                           "to the business units.")
            else:
                render.static_table(card.tiers)
