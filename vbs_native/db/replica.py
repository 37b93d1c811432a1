# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Reads on an asynchronous replica (``[database] slave_connection``) that
name a row the replica has not applied yet.

A marker comes from a page another node served from the primary or from a
replica further ahead, or is a backup the client has just created. The
replica cannot place it, but the primary can: its sort values are looked
up there, and the page is read from the replica after that position. The
walk goes on without a 404; rows the replica has not applied yet are not
in it, as in any read from that replica.
"""


def from_primary(context_manager, statement):
    """The first row of ``statement`` read on the primary, or None when
    reads are not sent to a replica (the row is then missing, not late)."""
    primary = context_manager.writer.get_engine()
    if context_manager.reader.get_engine() is primary:
        return None
    with primary.connect() as connection:
        return connection.execute(statement).first()
