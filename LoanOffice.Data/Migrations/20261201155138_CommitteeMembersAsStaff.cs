using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class CommitteeMembersAsStaff : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_committee_meetings_TeamId",
                table: "committee_meetings");

            migrationBuilder.AddColumn<List<Guid>>(
                name: "MemberIds",
                table: "committee_meetings",
                type: "uuid[]",
                nullable: false,
                defaultValue: new List<Guid>());

            // meetings planned before members were staff users: each name becomes the user of that display name
            migrationBuilder.Sql("""
                UPDATE committee_meetings m SET "MemberIds" = coalesce((
                    SELECT array_agg(u."Id" ORDER BY n.ord) FROM unnest(m."Members") WITH ORDINALITY AS n(name, ord)
                    JOIN LATERAL (SELECT "Id" FROM "AspNetUsers" WHERE "DisplayName" = n.name ORDER BY "CreatedAt" LIMIT 1) u ON true), '{}');
                """);

            migrationBuilder.AddColumn<string>(
                name: "Minutes",
                table: "committee_agenda_items",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_committee_meetings_TeamId_MeetingDate",
                table: "committee_meetings",
                columns: new[] { "TeamId", "MeetingDate" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_committee_meetings_TeamId_MeetingDate",
                table: "committee_meetings");

            migrationBuilder.DropColumn(
                name: "MemberIds",
                table: "committee_meetings");

            migrationBuilder.DropColumn(
                name: "Minutes",
                table: "committee_agenda_items");

            migrationBuilder.CreateIndex(
                name: "IX_committee_meetings_TeamId",
                table: "committee_meetings",
                column: "TeamId");
        }
    }
}
