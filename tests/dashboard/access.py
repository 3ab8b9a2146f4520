from tests.access import Access, allowed

DASHBOARD_ROLES = allowed("host", "coach", "coordinator")

ACCESS = {
    "dashboard": Access(DASHBOARD_ROLES),
    "dashboard-export": Access(DASHBOARD_ROLES, kwargs=lambda ctx: {"slug": "bereik"}),
    "dashboard-export-xlsx": Access(DASHBOARD_ROLES, kwargs=lambda ctx: {"slug": "bereik"}),
    "dashboard-workbook": Access(DASHBOARD_ROLES),
    "funder-report": Access(allowed("coordinator")),
    "funder-report-pdf": Access(allowed("coordinator")),
    "demand": Access(allowed("coordinator")),
    "reach-report": Access(allowed("coordinator")),
    "reach-report-export": Access(allowed("coordinator"), kwargs=lambda ctx: {"table": "kanalen"}),
    "plan-suggestion": Access(allowed("coordinator"), method="post", expect=(302,),
                              data=lambda ctx: {}),
}
