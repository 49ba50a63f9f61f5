#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""A stand-in for a desktop's screen-cast portal backend, for tests.

The real xdg-desktop-portal (the frontend programs talk to) loads backends
from portal files; a desktop's backend (GNOME's, KDE's) asks the user what to
share and then makes the stream with its compositor. This one answers without
a dialog: it shares a virtual monitor of the GNOME Mutter on the same session
bus (the headless Mutter the test runs), through Mutter's ScreenCast API, at
the size given on the command line. Usage: fake_portal_backend.py WIDTH HEIGHT
"""
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

BUS_NAME = "org.freedesktop.impl.portal.desktop.punktfunktest"
PATH = "/org/freedesktop/portal/desktop"
IFACE = "org.freedesktop.impl.portal.ScreenCast"
MUTTER = "org.gnome.Mutter.ScreenCast"
WIDTH, HEIGHT = int(sys.argv[1]), int(sys.argv[2])


class Session(dbus.service.Object):
    """The backend's half of a portal session: Mutter's session behind it."""

    def __init__(self, bus, path, mutter_session):
        super().__init__(bus, path)
        self.mutter_session = mutter_session

    @dbus.service.method("org.freedesktop.impl.portal.Session", in_signature="", out_signature="")
    def Close(self):
        try:
            self.mutter_session.Stop()
        except dbus.DBusException:
            pass
        self.remove_from_connection()


class ScreenCast(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, PATH)
        self.bus = bus
        self.sessions = {}
        self.selected = {}

    @dbus.service.method(IFACE, in_signature="oosa{sv}", out_signature="ua{sv}")
    def CreateSession(self, handle, session_handle, app_id, options):
        mutter = self.bus.get_object(MUTTER, "/org/gnome/Mutter/ScreenCast")
        path = mutter.CreateSession({}, dbus_interface=MUTTER)
        session = dbus.Interface(self.bus.get_object(MUTTER, path), MUTTER + ".Session")
        self.sessions[str(session_handle)] = Session(self.bus, session_handle, session)
        return dbus.UInt32(0), {"session_id": dbus.String("punktfunk-test")}

    @dbus.service.method(IFACE, in_signature="oosa{sv}", out_signature="ua{sv}")
    def SelectSources(self, handle, session_handle, app_id, options):
        self.selected[str(session_handle)] = dict(options)
        return dbus.UInt32(0), {}

    @dbus.service.method(IFACE, in_signature="oossa{sv}", out_signature="ua{sv}",
                         async_callbacks=("reply", "error"))
    def Start(self, handle, session_handle, app_id, parent_window, options, reply, error):
        session = self.sessions.get(str(session_handle))
        if session is None:
            reply(dbus.UInt32(2), {})
            return
        picked = self.selected.get(str(session_handle), {})
        cursor = int(picked.get("cursor_mode", 1))
        stream_path = session.mutter_session.RecordVirtual(
            {"cursor-mode": dbus.UInt32(1 if cursor == 2 else 0)})
        stream = self.bus.get_object(MUTTER, stream_path)

        def added(node):
            streams = dbus.Array(
                [dbus.Struct((dbus.UInt32(node),
                              {"size": dbus.Struct((dbus.Int32(WIDTH), dbus.Int32(HEIGHT)),
                                                   signature="ii"),
                               "source_type": dbus.UInt32(1)}), signature="ua{sv}")],
                signature="(ua{sv})")
            results = {"streams": streams}
            if int(picked.get("persist_mode", 0)) != 0:
                results["restore_data"] = dbus.Struct(("punktfunktest", dbus.UInt32(1),
                                                       dbus.String("virtual", variant_level=1)),
                                                      signature="suv")
            reply(dbus.UInt32(0), results)

        stream.connect_to_signal("PipeWireStreamAdded", added,
                                 dbus_interface=MUTTER + ".Stream")
        session.mutter_session.Start()

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="ss", out_signature="v")
    def Get(self, interface, name):
        return self.GetAll(interface)[name]

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="s", out_signature="a{sv}")
    def GetAll(self, interface):
        return {"AvailableSourceTypes": dbus.UInt32(1 | 4),
                "AvailableCursorModes": dbus.UInt32(1 | 2),
                "version": dbus.UInt32(4)}


def main():
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    portal = ScreenCast(bus)
    name = dbus.service.BusName(BUS_NAME, bus)  # owned while referenced
    GLib.MainLoop().run()
    del portal, name


if __name__ == "__main__":
    main()
