using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class FieldWork : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "field_devices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    KeyCipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastUsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RevokedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_field_devices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_field_devices_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "field_sessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    DeviceId = table.Column<Guid>(type: "uuid", nullable: false),
                    SignedInAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SignInLatitude = table.Column<double>(type: "double precision", nullable: false),
                    SignInLongitude = table.Column<double>(type: "double precision", nullable: false),
                    SignedOutAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SignOutLatitude = table.Column<double>(type: "double precision", nullable: true),
                    SignOutLongitude = table.Column<double>(type: "double precision", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_field_sessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_field_sessions_field_devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "field_devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_field_devices_UserId",
                table: "field_devices",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_field_sessions_DeviceId",
                table: "field_sessions",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_field_sessions_UserId_SignedInAt",
                table: "field_sessions",
                columns: new[] { "UserId", "SignedInAt" });

            migrationBuilder.CreateIndex(
                name: "ux_field_sessions_open",
                table: "field_sessions",
                column: "UserId",
                unique: true,
                filter: "\"SignedOutAt\" IS NULL");

            // PostGIS, the pings partitioned by month, the officers' last positions, the signed requests seen
            foreach (var statement in LoanOffice.Data.Sql.SqlScripts.Statements("FieldWork.sql")) migrationBuilder.Sql(statement);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS field_request_nonces");
            migrationBuilder.Sql("DROP TABLE IF EXISTS field_last_positions");
            migrationBuilder.Sql("DROP TABLE IF EXISTS field_pings");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS lo_field_ping_partition(timestamptz)");

            migrationBuilder.DropTable(
                name: "field_sessions");

            migrationBuilder.DropTable(
                name: "field_devices");
        }
    }
}
