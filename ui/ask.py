"""The question box: type a question in plain words, get the number, the sentence around
it and the chart or table behind it. ``?q=...`` in the link is answered on open."""

from __future__ import annotations

import logging

import streamlit as st

from . import data, plan, render, state
from .render import md, md_inline

log = logging.getLogger(__name__)


def _ask(question: str) -> None:
    # Callbacks run before the page is drawn, so they may set the bound text box.
    st.session_state[state.QUESTION] = question


def question_box(source: data.Source) -> None:
    st.text_input("Ask a question", key=state.QUESTION, bind="query-params",
                  placeholder="e.g. what does our email cost per user?",
                  icon=":material/search:")
    examples = source.choices.examples
    choice = st.pills("Examples", examples, key="example_pick", label_visibility="collapsed",
                     format_func=md_inline)  # pills render Markdown; examples name services
    if choice:
        st.session_state.pop("example_pick")
        _ask(choice)
        st.rerun()
    question = (st.session_state.get(state.QUESTION) or "").strip()
    if not question:
        return
    try:
        result = data.answer(source.key, question, source.dataset, state.quarter(),
                             state.business_unit())
    except Exception:  # never show a traceback to an executive; keep it for us in the log
        log.exception("question failed: %r", question)
        st.warning("That question hit a problem on our side. Try asking it another way, or "
                   "use one of the examples.")
        return
    _show(result)


def _show(result) -> None:
    if not result.understood:
        st.warning(md(result.sentence))
    else:
        st.subheader(md_inline(result.sentence), anchor=False)
    if result.figures:
        columns = st.columns(min(len(result.figures), 3))
        for column, figure in zip(columns, result.figures[:3], strict=False):
            column.metric(md_inline(figure.label or figure.unit), md_inline(figure.formatted),
                          border=True)
    render.figure(result.chart, key="answer_chart")
    if result.table is not None and not result.table.empty:
        with st.expander("The rows behind this answer"):
            render.table(result.shown_table())
    if result.how:
        st.caption(f"How this was worked out: {md_inline(result.how)}")
    if result.plan_link:  # a what-if: the same scenario on the Plan page, unsaved
        params: dict[str, list[str]] = {}
        for key, value in result.plan_link:
            params.setdefault(key, []).append(value)
        st.page_link(plan.PAGE, label="Open this scenario on the Plan page",
                     icon=":material/calculate:", query_params=params)
    if result.suggestions:
        st.caption("You could ask:" if result.understood else "Closest questions I can answer:")
        columns = st.columns(len(result.suggestions))
        for index, (column, suggestion) in enumerate(zip(columns, result.suggestions,
                                                         strict=False)):
            column.button(md_inline(suggestion), key=f"suggestion_{index}", on_click=_ask,
                          args=(suggestion,), width="stretch")
