using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class Servicing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Class",
                table: "loans",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateOnly>(
                name: "ClosedThrough",
                table: "loans",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<decimal>(
                name: "CompoundPaid",
                table: "loans",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<int>(
                name: "DaysPastDue",
                table: "loans",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "DpdClass",
                table: "loans",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "GraceDays",
                table: "loans",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ManualClass",
                table: "loans",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ManualClassReason",
                table: "loans",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "PenaltyDailyRate",
                table: "loans",
                type: "numeric(24,18)",
                precision: 24,
                scale: 18,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "PenaltyMarkup",
                table: "loans",
                type: "numeric(9,6)",
                precision: 9,
                scale: 6,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "PenaltyPaid",
                table: "loans",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<int>(
                name: "ReminderLeadDays",
                table: "loans",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateOnly>(
                name: "SettledOn",
                table: "loans",
                type: "date",
                nullable: true);

            // loans disbursed before servicing existed: terms from their contract snapshot, closed through their
            // disbursement date, class normal
            migrationBuilder.Sql("""
                UPDATE loans SET
                    "PenaltyMarkup" = coalesce(("TermsSnapshot"->>'PenaltyMarkup')::numeric, 0),
                    "GraceDays" = coalesce(("TermsSnapshot"->>'GraceDays')::int, 0),
                    "ReminderLeadDays" = coalesce(("TermsSnapshot"->>'ReminderLeadDays')::int, 3),
                    "PenaltyDailyRate" = round("AnnualRate" / 360 * (1 + coalesce(("TermsSnapshot"->>'PenaltyMarkup')::numeric, 0)), 18),
                    "ClosedThrough" = "DisbursedOn",
                    "DpdClass" = 'Normal',
                    "Class" = 'Normal'
                """);

            migrationBuilder.CreateTable(
                name: "cob_runs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BusinessDate = table.Column<DateOnly>(type: "date", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    HeartbeatAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Node = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TriggeredBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    LoansToClose = table.Column<int>(type: "integer", nullable: false),
                    LoansClosed = table.Column<int>(type: "integer", nullable: false),
                    Accruals = table.Column<int>(type: "integer", nullable: false),
                    ClassChanges = table.Column<int>(type: "integer", nullable: false),
                    Reminders = table.Column<int>(type: "integer", nullable: false),
                    CasesOpened = table.Column<int>(type: "integer", nullable: false),
                    CasesClosed = table.Column<int>(type: "integer", nullable: false),
                    Failures = table.Column<int>(type: "integer", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cob_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "collection_cases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LoanId = table.Column<Guid>(type: "uuid", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: false),
                    OfficerId = table.Column<Guid>(type: "uuid", nullable: true),
                    OpenedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ClosedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_collection_cases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_collection_cases_loans_LoanId",
                        column: x => x.LoanId,
                        principalTable: "loans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "loan_accruals",
                columns: table => new
                {
                    LoanId = table.Column<Guid>(type: "uuid", nullable: false),
                    BusinessDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Basis = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loan_accruals", x => new { x.LoanId, x.BusinessDate, x.Kind });
                    table.CheckConstraint("ck_loan_accruals_amount", "\"Amount\" >= 0 AND \"Basis\" >= 0");
                    table.ForeignKey(
                        name: "FK_loan_accruals_loans_LoanId",
                        column: x => x.LoanId,
                        principalTable: "loans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "loan_class_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LoanId = table.Column<Guid>(type: "uuid", nullable: false),
                    BusinessDate = table.Column<DateOnly>(type: "date", nullable: false),
                    DaysPastDue = table.Column<int>(type: "integer", nullable: false),
                    FromClass = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ToClass = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Actor = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loan_class_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_loan_class_changes_loans_LoanId",
                        column: x => x.LoanId,
                        principalTable: "loans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "loan_extensions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LoanId = table.Column<Guid>(type: "uuid", nullable: false),
                    NewMaturity = table.Column<DateOnly>(type: "date", nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    RequestedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DecidedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    DecidedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EffectiveOn = table.Column<DateOnly>(type: "date", nullable: true),
                    Comment = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loan_extensions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_loan_extensions_loans_LoanId",
                        column: x => x.LoanId,
                        principalTable: "loans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "loan_schedule_versions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LoanId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: false),
                    Installments = table.Column<string>(type: "jsonb", nullable: false),
                    ReplacedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loan_schedule_versions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_loan_schedule_versions_loans_LoanId",
                        column: x => x.LoanId,
                        principalTable: "loans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "loan_transactions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LoanId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ValueDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ExternalReference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PrepaidPrincipal = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    PrepaymentOption = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Allocation = table.Column<string>(type: "jsonb", nullable: false),
                    PostedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    PostedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PostedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReversedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReversedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    ReversalReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loan_transactions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_loan_transactions_loans_LoanId",
                        column: x => x.LoanId,
                        principalTable: "loans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DedupeKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    LoanId = table.Column<Guid>(type: "uuid", nullable: true),
                    InstallmentNumber = table.Column<int>(type: "integer", nullable: true),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: true),
                    UserId = table.Column<Guid>(type: "uuid", nullable: true),
                    Body = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastError = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReadAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cob_failures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    LoanId = table.Column<Guid>(type: "uuid", nullable: false),
                    BusinessDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cob_failures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_cob_failures_cob_runs_RunId",
                        column: x => x.RunId,
                        principalTable: "cob_runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "collection_actions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    PromisedDate = table.Column<DateOnly>(type: "date", nullable: true),
                    PromisedAmount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    By = table.Column<Guid>(type: "uuid", nullable: false),
                    ByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_collection_actions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_collection_actions_collection_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "collection_cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_loans_Class_TeamId",
                table: "loans",
                columns: new[] { "Class", "TeamId" });

            migrationBuilder.CreateIndex(
                name: "IX_loans_ClosedThrough",
                table: "loans",
                column: "ClosedThrough",
                filter: "\"Status\" = 'Active'");

            migrationBuilder.CreateIndex(
                name: "IX_loan_installments_DueDate",
                table: "loan_installments",
                column: "DueDate");

            migrationBuilder.CreateIndex(
                name: "IX_cob_failures_LoanId_BusinessDate",
                table: "cob_failures",
                columns: new[] { "LoanId", "BusinessDate" });

            migrationBuilder.CreateIndex(
                name: "IX_cob_failures_RunId",
                table: "cob_failures",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_cob_runs_BusinessDate_StartedAt",
                table: "cob_runs",
                columns: new[] { "BusinessDate", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cob_runs_StartedAt",
                table: "cob_runs",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_collection_actions_CaseId",
                table: "collection_actions",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_collection_cases_open_loan",
                table: "collection_cases",
                column: "LoanId",
                unique: true,
                filter: "\"Status\" = 'Open'");

            migrationBuilder.CreateIndex(
                name: "IX_collection_cases_TeamId_Status",
                table: "collection_cases",
                columns: new[] { "TeamId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_loan_class_changes_LoanId_Id",
                table: "loan_class_changes",
                columns: new[] { "LoanId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_loan_extensions_pending_loan",
                table: "loan_extensions",
                column: "LoanId",
                unique: true,
                filter: "\"Status\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_loan_schedule_versions_LoanId",
                table: "loan_schedule_versions",
                column: "LoanId");

            migrationBuilder.CreateIndex(
                name: "IX_loan_transactions_ExternalReference",
                table: "loan_transactions",
                column: "ExternalReference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_loan_transactions_LoanId_ValueDate",
                table: "loan_transactions",
                columns: new[] { "LoanId", "ValueDate" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_DedupeKey",
                table: "notifications",
                column: "DedupeKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_notifications_NextAttemptAt",
                table: "notifications",
                column: "NextAttemptAt",
                filter: "\"Status\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_UserId_CreatedAt",
                table: "notifications",
                columns: new[] { "UserId", "CreatedAt" },
                filter: "\"Channel\" = 'InApp'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cob_failures");

            migrationBuilder.DropTable(
                name: "collection_actions");

            migrationBuilder.DropTable(
                name: "loan_accruals");

            migrationBuilder.DropTable(
                name: "loan_class_changes");

            migrationBuilder.DropTable(
                name: "loan_extensions");

            migrationBuilder.DropTable(
                name: "loan_schedule_versions");

            migrationBuilder.DropTable(
                name: "loan_transactions");

            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropTable(
                name: "cob_runs");

            migrationBuilder.DropTable(
                name: "collection_cases");

            migrationBuilder.DropIndex(
                name: "IX_loans_Class_TeamId",
                table: "loans");

            migrationBuilder.DropIndex(
                name: "IX_loans_ClosedThrough",
                table: "loans");

            migrationBuilder.DropIndex(
                name: "IX_loan_installments_DueDate",
                table: "loan_installments");

            migrationBuilder.DropColumn(
                name: "Class",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "ClosedThrough",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "CompoundPaid",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "DaysPastDue",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "DpdClass",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "GraceDays",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "ManualClass",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "ManualClassReason",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "PenaltyDailyRate",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "PenaltyMarkup",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "PenaltyPaid",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "ReminderLeadDays",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "SettledOn",
                table: "loans");
        }
    }
}
