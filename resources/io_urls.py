"""URLs of the dataio pages (included at the site root by portal/urls.py).

The HSDS paths and the command names are contracts (DESIGN.md); the page names
are used by the staff entry page.
"""

from django.urls import path

from portal.sheets.views import sheet_done, sheet_preview, sheet_upload
from resources import api, io_views
from resources.citysetup.views import city_setup_page

# The staff import: the sheet engine's shared pages for the "resources" kind
# (registered by ResourcesConfig.ready()).
RESOURCES = {"kind": "resources"}

app_name = "dataio"
urlpatterns = [
    path("api/hsds/services", api.services, name="hsds_services"),
    path("api/hsds/services/<str:service_id>", api.service_detail, name="hsds_service"),
    path("staff/import/", sheet_upload, RESOURCES, name="import"),
    path("staff/import/preview/", sheet_preview, RESOURCES, name="import_preview"),
    path("staff/import/done/", sheet_done, RESOURCES, name="import_done"),
    path("staff/export/", io_views.export, name="export"),
    path("staff/city/", city_setup_page, name="city_setup"),
    path("opendata/resources.csv", io_views.opendata, name="opendata"),
    path("opendata/resources-columns.csv", io_views.opendata_columns, name="opendata_columns"),
    path(
        "opendata/kayoinoba.csv",
        io_views.opendata_layout,
        {"layout": "kayoinoba"},
        name="opendata_kayoinoba",
    ),
    path(
        "opendata/jichitai.csv",
        io_views.opendata_layout,
        {"layout": "jichitai"},
        name="opendata_jichitai",
    ),
]
