"""Plan: what if we moved a service to a market offer, changed users, bought hours or retired
a service? A scenario's yearly cost, cost per user, budget variance and what it gives up or
gains; saved, shared by link, compared side by side."""

import json

import streamlit as st

from ui import data, plan, render, state
from valuelib import views
from valuelib.present import glossary
from valuelib.whatif import KIND_LABELS, Change, ChangeKind

source = data.shown_source()
render.page_title("Plan", "What if …? A scenario's cost, cost per user and what it gives up "
                          "— worked out on the data shown, never changing it")
render.show_flash()
for note in plan.read_link():
    st.info(render.md(note), icon=":material/link_off:")
note = st.session_state.pop(state.PLAN_NOTE, None)
if note:
    st.warning(render.md(note))
choices = data.plan_choices(source.key, state.quarter(), source.dataset)
if choices.quarter is None:
    st.info("There is no cost data to plan on yet: upload a workbook with a Costs sheet.")
    st.stop()

# ---- the editor ----------------------------------------------------------------------------
with st.container(border=True):
    st.markdown("**Add a change**", help=glossary.help_for("scenario",
                                                          "fixed and per-user costs"))
    kind = st.selectbox("Change", tuple(ChangeKind), format_func=KIND_LABELS.get,
                        key="plan_kind")
    change = None
    if kind == ChangeKind.MOVE:
        if not choices.offers:
            st.info("The Market sheet has no offers to move to.")
        else:
            service = st.selectbox("Service", tuple(choices.offers), key="plan_move_service")
            offer = st.selectbox("Market offer", choices.offers[service], key="plan_offer",
                                 format_func=lambda o: choices.offer_labels[(service, o)])
            change = Change(ChangeKind.MOVE, service=service, offer=offer)
    elif kind == ChangeKind.TIER:
        if not choices.tiers:
            st.info("The Offerings sheet has no tiers to move to.")
        else:
            service = st.selectbox("Service", tuple(choices.tiers), key="plan_tier_service")
            tier = st.selectbox("Tier", choices.tiers[service], key="plan_tier")
            change = Change(ChangeKind.TIER, service=service, tier=tier)
    elif kind == ChangeKind.USERS:
        service = st.selectbox("Service", choices.services, key="plan_users_service")
        today = choices.users.get(service, 0.0)
        count = st.number_input(f"Users (today {today:,.0f})", min_value=0.0, step=10.0,
                                value=float(today), key=f"plan_users_{service}")
        change = Change(ChangeKind.USERS, service=service, count=count)
    elif kind == ChangeKind.HEADCOUNT:
        unit = st.selectbox("Whose headcount", (state.ALL_UNITS, *choices.units),
                            key="plan_unit")
        today = choices.unit_headcount.get(unit, choices.headcount)
        count = st.number_input(f"Headcount (today {today:,.0f})", min_value=0.0, step=10.0,
                                value=float(today), key=f"plan_headcount_{unit}")
        change = Change(ChangeKind.HEADCOUNT, count=count,
                        business_unit=None if unit == state.ALL_UNITS else unit)
    elif kind == ChangeKind.BLOCK:
        left, right = st.columns(2)
        hours = left.number_input("Hours", min_value=1.0, value=500.0, step=50.0,
                                  key="plan_hours")
        price = right.number_input(f"Price ({source.dataset.settings.currency})",
                                   min_value=0.0, value=45000.0, step=1000.0,
                                   key="plan_price")
        change = Change(ChangeKind.BLOCK, hours=hours, price=price)
    elif kind == ChangeKind.RETIRE:
        service = st.selectbox("Service", choices.services, key="plan_retire_service")
        change = Change(ChangeKind.RETIRE, service=service)
    st.button("Add change", icon=":material/add:", on_click=plan.add, args=(change,),
              disabled=change is None, key="plan_add")

scenario = plan.draft()
if not scenario.changes:
    plan.write_link()
    st.info("Add a change above to see what it does to the year's cost.")
else:
    view = data.plan(source.key, json.dumps(scenario.as_dict()), state.quarter(),
                     source.dataset)
    st.subheader("The scenario")
    for index, item in enumerate(view.result.changes):
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.markdown(f"{index + 1}. {render.md_inline(item.label)}")
        right.button("Remove", key=f"plan_remove_{index}", on_click=plan.remove,
                     args=(index,), icon=":material/close:")
    plan.write_link()
    st.caption(f"Worked out on {render.md_inline(view.quarter_label)}.")
    for problem in view.problems:
        st.warning(render.md(problem))
    render.headlines(view.headlines)
    render.table(view.changes)
    left, right = st.columns(2)
    with left:
        st.markdown("**Gives up**")
        render.sentences(view.gives_up or ("Nothing it commits to today.",))
    with right:
        st.markdown("**Gains**")
        render.sentences(view.gains or ("No commitment beyond today's.",))
    if view.other_changes:
        st.markdown("**Changes**")
        render.sentences(view.other_changes)
    for line in view.notes:
        st.caption(render.md_inline(line))

    # ---- keep and share ----------------------------------------------------------------------
    st.subheader("Save and share")
    name_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    name_col.text_input("Scenario name", key=state.PLAN_NAME, max_chars=120,
                        placeholder="e.g. Email to the cloud")
    button_col.button("Save scenario", icon=":material/save:", key="plan_save",
                      on_click=plan.save, args=(source,))
    st.caption("Anyone with this link sees the scenario, worked out on the data they see:")
    st.code(plan.share_url(), language=None)

# ---- saved scenarios -------------------------------------------------------------------------
st.subheader("Saved scenarios")
saved = plan.saved_scenarios()
if saved is not None and not saved:
    st.info("No scenario saved yet.")
elif saved:
    by_id = {s.id: s for s in saved}
    shown = source.version.id if source.version else None
    render.table(views.saved_table(saved, shown))
    pick_col, open_col, delete_col = st.columns([4, 1, 1], vertical_alignment="bottom")
    picked = pick_col.selectbox("Saved scenario", tuple(by_id),
                                format_func=lambda i: by_id[i].label, key="plan_pick")
    open_col.button("Open", key="plan_open", on_click=plan.open_saved,
                    args=(by_id[picked],), icon=":material/open_in_new:")
    if state.editor():
        if delete_col.button("Delete", key="plan_delete", icon=":material/delete:"):
            render.flash_and_rerun(plan.delete(picked), "info")
    else:
        delete_col.caption("Editors can delete (sign in on Upload & publish).")

    st.subheader("Side by side")
    current = "__current__"
    options = ((current,) if scenario.changes else ()) + tuple(by_id)
    # a scenario deleted, or the one above emptied, since it was picked
    plan.keep_known(state.PLAN_COMPARE, options)
    chosen = st.multiselect(
        "Compare two or three scenarios", options, max_selections=3, key=state.PLAN_COMPARE,
        format_func=lambda i: "The scenario above" if i == current else by_id[i].label)
    if len(chosen) >= 2:
        picked_scenarios = [scenario.as_dict() if i == current else by_id[i].scenario
                            for i in chosen]
        views, compared = data.plan_compare(source.key, json.dumps(picked_scenarios),
                                            state.quarter(), source.dataset)
        for column, item in zip(st.columns(len(views)), views, strict=True):
            with column:
                st.markdown(f"**{render.md_inline(item.scenario.name or 'The scenario above')}**")
                for tile in item.headlines:
                    st.metric(render.md_inline(tile.label), tile.value, tile.delta,
                              delta_color=tile.delta_color, border=True)
        render.table(compared)
