namespace LoanOffice.Domain.Common;

/// <summary>
/// The codes of the loan book's refusals. Each has a text in both languages (resx key <c>Error.&lt;Code&gt;</c>, arguments
/// {0}, {1}, … in the order given here); a test fails when one is missing.
/// </summary>
public static class ErrorCodes
{
    // the general ones
    public const string NotFound = "not_found";
    public const string Forbidden = "forbidden";
    public const string Conflict = "conflict";
    /// <summary>{0} = the date asked for, {1} = the book's last close</summary>
    public const string DashboardAsOfUnavailable = "Dashboard.AsOfUnavailable";
    public const string DashboardPeriodInvalid = "Dashboard.PeriodInvalid";
    public const string Validation = "validation";
    /// <summary>{0} = the user name</summary>
    public const string TokenUserNotFound = "Token.UserNotFound";
    /// <summary>{0} = the name</summary>
    public const string TokenNameTaken = "Token.NameTaken";
    /// <summary>{0} = the maximum length</summary>
    public const string TokenNameTooLong = "Token.NameTooLong";
    /// <summary>{0} = the maximum number of days</summary>
    public const string TokenDaysOutOfRange = "Token.DaysOutOfRange";
    /// <summary>{0} = the name</summary>
    public const string TokenNotFound = "Token.NotFound";
    /// <summary>A form POST without a valid antiforgery token (a cross-site request, or a page open too long).</summary>
    public const string AntiforgeryMissing = "Request.AntiforgeryMissing";
    /// <summary>{0} = the culture asked for</summary>
    public const string CultureUnsupported = "Request.CultureUnsupported";
    /// <summary>The request's body could not be read (not JSON, or not of the expected shape).</summary>
    public const string RequestBodyUnreadable = "Request.BodyUnreadable";
    /// <summary>{0} = the field (or parameter) holding a control character such as NUL</summary>
    public const string ControlCharacters = "Request.ControlCharacters";
    /// <summary>{0} = the client address the action came from</summary>
    public const string IntranetOnly = "Security.IntranetOnly";
    public const string TwoFactorCodeInvalid = "Security.TwoFactorCodeInvalid";
    public const string TwoFactorNotEnabled = "Security.TwoFactorNotEnabled";
    /// <summary>The user's role requires two-factor sign-in, which they have not set up yet.</summary>
    public const string TwoFactorRequired = "Security.TwoFactorRequired";

    // amounts and dates
    /// <summary>{0} = field</summary>
    public const string Required = "Input.Required";
    public const string AmountNotPositive = "Loan.AmountNotPositive";
    public const string AmountNotInFen = "Loan.AmountNotInFen";
    /// <summary>{0} = amount, {1} = amount due, {2} = date</summary>
    public const string Overpayment = "Loan.Overpayment";
    /// <summary>{0} = the start date (disbursement or last prepayment)</summary>
    public const string DateBeforeStart = "Loan.DateBeforeStart";
    /// <summary>{0} = the start date</summary>
    public const string ValueDateBeforeStart = "Loan.ValueDateBeforeStart";
    /// <summary>{0} = the latest value date</summary>
    public const string ValueDateAfterLatest = "Loan.ValueDateAfterLatest";
    /// <summary>{0} = settlement date</summary>
    public const string LoanSettled = "Loan.Settled";
    public const string PaymentNotFound = "Loan.PaymentNotFound";
    public const string PaymentAlreadyReversed = "Loan.PaymentAlreadyReversed";
    public const string PrepaymentNotReversible = "Loan.PrepaymentNotReversible";
    /// <summary>{0} = prepayment date</summary>
    public const string BeforePrepayment = "Loan.BeforePrepayment";
    /// <summary>{0} = amount owed, {1} = date</summary>
    public const string PrepaymentNotCurrent = "Loan.PrepaymentNotCurrent";
    /// <summary>{0} = open business date</summary>
    public const string PrepaymentDate = "Loan.PrepaymentDate";
    /// <summary>{0} = the DPD class</summary>
    public const string ClassBetterThanDpd = "Loan.ClassBetterThanDpd";
    public const string ReasonRequired = "Loan.ReasonRequired";
    public const string PenaltyMarkupNegative = "Loan.PenaltyMarkupNegative";
    /// <summary>{0} = min, {1} = max</summary>
    public const string GraceDaysRange = "Loan.GraceDaysRange";
    public const string ReferenceTaken = "Loan.ReferenceTaken";
    public const string ReferenceRequired = "Loan.ReferenceRequired";
    public const string ChannelRequired = "Loan.ChannelRequired";
    /// <summary>{0} = status</summary>
    public const string NotActive = "Loan.NotActive";
    public const string OutOfScope = "Loan.OutOfScope";
    /// <summary>No loan of that number in the caller's scope.</summary>
    public const string LoanNotFound = "Loan.NotFound";
    /// <summary>No close-of-business request of that id.</summary>
    public const string CloseRequestNotFound = "Close.RequestNotFound";
    public const string FinanceOnly = "Loan.FinanceOnly";
    public const string ChangedSinceOpened = "Loan.ChangedSinceOpened";

    // business dates of origination
    /// <summary>{0} = final approval date</summary>
    public const string ContractBeforeApproval = "Loan.ContractBeforeApproval";
    /// <summary>{0} = contract date</summary>
    public const string DisbursementBeforeContract = "Loan.DisbursementBeforeContract";
    /// <summary>{0} = today</summary>
    public const string DateInFuture = "Loan.DateInFuture";
    public const string FinalReviewFourEyes = "Application.FinalReviewFourEyes";

    // prepayment
    public const string PrepaymentNotSupported = "Prepayment.NotSupported";
    public const string Matured = "Prepayment.Matured";
    /// <summary>{0} = outstanding principal</summary>
    public const string PrepaymentExceedsOutstanding = "Prepayment.ExceedsOutstanding";
    /// <summary>{0} = option, {1} = method</summary>
    public const string OptionNotApplicable = "Prepayment.OptionNotApplicable";

    // the simulator's input
    /// <summary>{0} = value</summary>
    public const string NotANumber = "Input.NotANumber";
    /// <summary>{0} = value</summary>
    public const string NotADate = "Input.NotADate";
    /// <summary>{0} = the date, {1} = the earliest, {2} = the latest accepted</summary>
    public const string DateOutOfRange = "Input.DateOutOfRange";
    /// <summary>{0} = value, {1} = the allowed values</summary>
    public const string NotOneOf = "Input.NotOneOf";
    /// <summary>{0} = index</summary>
    public const string NoSuchPayment = "Input.NoSuchPayment";
    public const string NotJson = "Input.NotJson";
    public const string ResidentIdLength = "ResidentId.Length";
    public const string ResidentIdDigits = "ResidentId.Digits";
    public const string ResidentIdLastCharacter = "ResidentId.LastCharacter";
    public const string ResidentIdRegion = "ResidentId.Region";
    public const string ResidentIdBirthDate = "ResidentId.BirthDate";
    public const string ResidentIdCheckCharacter = "ResidentId.CheckCharacter";
    public const string CreditCodeLength = "CreditCode.Length";
    public const string CreditCodeCharacters = "CreditCode.Characters";
    public const string MobileFormat = "Mobile.Format";
    public const string BankCardLength = "BankCard.Length";
    public const string BankCardCheckDigit = "BankCard.CheckDigit";
    public const string IntakeIdempotencyKeyLength = "Intake.IdempotencyKeyLength";
    public const string IntakeUnknownProduct = "Intake.UnknownProduct";
    public const string IntakeDistrictNotServed = "Intake.DistrictNotServed";
    public const string IntakeRetry = "Intake.Retry";
    public const string IntakeIdempotencyConflict = "Intake.IdempotencyConflict";
    public const string IntakeName = "Intake.Name";
    public const string IntakeDistrict = "Intake.District";
    public const string IntakeProduct = "Intake.Product";
    public const string IntakeAmount = "Intake.Amount";
    public const string IntakeMonths = "Intake.Months";
    public const string IntakePurpose = "Intake.Purpose";
    public const string IntakeConsent = "Intake.Consent";
    public const string RateNegative = "Rate.Negative";
    public const string RateTooHigh = "Rate.TooHigh";
    public const string TermRange = "Term.Range";
    public const string ScheduleUnknownMethod = "Schedule.UnknownMethod";
    public const string SchedulePrincipalNotPositive = "Schedule.PrincipalNotPositive";
    public const string SchedulePrincipalTooHigh = "Schedule.PrincipalTooHigh";
    public const string ExtensionMatured = "Extension.Matured";
    public const string ExtensionOverdue = "Extension.Overdue";
    public const string ExtensionNotLater = "Extension.NotLater";
    public const string ExtensionNotOnDueDay = "Extension.NotOnDueDay";
    public const string ExtensionTooLong = "Extension.TooLong";
    public const string ExtensionPaidBeyondNewAmount = "Extension.PaidBeyondNewAmount";
    public const string ExtensionPartlyPaidReplaced = "Extension.PartlyPaidReplaced";
    public const string ExtensionMaturityRequired = "Extension.MaturityRequired";
    public const string ExtensionReasonRequired = "Extension.ReasonRequired";
    public const string InputTooLong = "Input.TooLong";
    public const string ExtensionPending = "Extension.Pending";
    public const string ExtensionRejectReasonRequired = "Extension.RejectReasonRequired";
    public const string ExtensionNotFound = "Extension.NotFound";
    public const string ExtensionDecided = "Extension.Decided";
    public const string ExtensionFourEyes = "Extension.FourEyes";
    public const string CollectionForbidden = "Collection.Forbidden";
    public const string CollectionNotFound = "Collection.NotFound";
    public const string CollectionOutOfScope = "Collection.OutOfScope";
    public const string CollectionClosed = "Collection.Closed";
    public const string CollectionChanged = "Collection.Changed";
    public const string CollectionKindRequired = "Collection.KindRequired";
    public const string CollectionNoteRequired = "Collection.NoteRequired";
    public const string CollectionPromisedDateRequired = "Collection.PromisedDateRequired";
    public const string CollectionPromisedDatePast = "Collection.PromisedDatePast";
    public const string CollectionPromisedAmountRequired = "Collection.PromisedAmountRequired";
    public const string LoanNotOverdue = "Loan.NotOverdue";
    public const string RiskClassifierOnly = "Risk.ClassifierOnly";
    public const string RiskRequesterOnly = "Risk.RequesterOnly";
    public const string RiskChiefOnly = "Risk.ChiefOnly";
    public const string ApplicationSelfAssignmentNotAllowed = "Application.SelfAssignmentNotAllowed";
    public const string ApplicationTakeForSelfOnly = "Application.TakeForSelfOnly";
    public const string ApplicationReassignLeadOnly = "Application.ReassignLeadOnly";
    public const string ApplicationCannotReassign = "Application.CannotReassign";
    public const string ApplicationReassignReasonRequired = "Application.ReassignReasonRequired";
    public const string ApplicationAlreadyAssigned = "Application.AlreadyAssigned";
    public const string ApplicationEditOnlyWhileCollecting = "Application.EditOnlyWhileCollecting";
    public const string ApplicationAssignedOfficerOnly = "Application.AssignedOfficerOnly";
    public const string ApplicationDocumentsMissing = "Application.DocumentsMissing";
    public const string ApplicationNotAwaitingReview = "Application.NotAwaitingReview";
    public const string ApplicationClaimed = "Application.Claimed";
    public const string ApplicationReviewerOnly = "Application.ReviewerOnly";
    public const string ApplicationApprovedFiguresInvalid = "Application.ApprovedFiguresInvalid";
    public const string ApplicationSubmitterFourEyes = "Application.SubmitterFourEyes";
    public const string ApplicationIllegalTransition = "Application.IllegalTransition";
    public const string ApplicationRoleNotAllowed = "Application.RoleNotAllowed";
    public const string ApplicationReasonRequired = "Application.ReasonRequired";
    public const string ApplicationOfficerNotInTeam = "Application.OfficerNotInTeam";
    public const string ApplicationNotAnOfficer = "Application.NotAnOfficer";
    public const string ApplicationRateOutOfRange = "Application.RateOutOfRange";
    public const string DocumentEmpty = "Document.Empty";
    public const string DocumentTooLarge = "Document.TooLarge";
    public const string DocumentType = "Document.Type";
    public const string DocumentTypeRequired = "Document.TypeRequired";
    public const string DocumentUnreadable = "Document.Unreadable";
    public const string DocumentNotCollecting = "Document.NotCollecting";
    public const string ApplicationClaimLost = "Application.ClaimLost";
    public const string ApplicationNotApproved = "Application.NotApproved";
    public const string DisbursementBankReferenceRequired = "Disbursement.BankReferenceRequired";
    public const string DisbursementNotContracted = "Disbursement.NotContracted";
    public const string DisbursementAmountNotContracted = "Disbursement.AmountNotContracted";
    public const string DisbursementBankReferenceTaken = "Disbursement.BankReferenceTaken";
    public const string AccountNotSignedIn = "Account.NotSignedIn";
    public const string ApplicationOutOfScope = "Application.OutOfScope";
    public const string ApplicationDuplicateConflict = "Application.DuplicateConflict";
    public const string ApplicationChanged = "Application.Changed";
    public const string ApplicationNotFound = "Application.NotFound";
    public const string VoteRejectReasonRequired = "Vote.RejectReasonRequired";
    public const string VoteAmountRequired = "Vote.AmountRequired";
    public const string VoteMonthsRequired = "Vote.MonthsRequired";
    public const string VoteApproverOnly = "Vote.ApproverOnly";
    public const string VoteNotInApproval = "Vote.NotInApproval";
    public const string VoteCommitteeTeam = "Vote.CommitteeTeam";
    public const string VoteNotInGroupOutOfScope = "Vote.NotInGroupOutOfScope";
    public const string VoteAlreadyVoted = "Vote.AlreadyVoted";
    public const string VoteAmountUnit = "Vote.AmountUnit";
    public const string DisputeCommentRequired = "Dispute.CommentRequired";
    public const string DisputeChiefOnly = "Dispute.ChiefOnly";
    public const string DisputeNone = "Dispute.None";
    public const string DisputeAmountRequired = "Dispute.AmountRequired";
    public const string DisputeMonthsRequired = "Dispute.MonthsRequired";
    /// <summary>{0} = the minimum number of members</summary>
    public const string CommitteeMembersRequired = "Committee.MembersRequired";
    public const string CommitteeMemberNotEligible = "Committee.MemberNotEligible";
    /// <summary>{0} = today</summary>
    public const string CommitteeDateInPast = "Committee.DateInPast";
    /// <summary>{0} = the meeting's date</summary>
    public const string CommitteeMeetingPast = "Committee.MeetingPast";
    /// <summary>{0} = the meeting's date</summary>
    public const string CommitteeMeetingNotHeld = "Committee.MeetingNotHeld";
    public const string CommitteeMeetingNotFound = "Committee.MeetingNotFound";
    /// <summary>{0} = the date</summary>
    public const string CommitteeMeetingExists = "Committee.MeetingExists";
    public const string CommitteeMeetingOtherTeam = "Committee.MeetingOtherTeam";
    public const string CommitteeMeetingForbidden = "Committee.MeetingForbidden";
    public const string CommitteeRegisterLeadOnly = "Committee.RegisterLeadOnly";
    public const string CommitteeNotInApproval = "Committee.NotInApproval";
    public const string CommitteeCentralizedTeam = "Committee.CentralizedTeam";
    public const string CommitteeAlreadyOnAgenda = "Committee.AlreadyOnAgenda";
    public const string CommitteeSecretaryOnly = "Committee.SecretaryOnly";
    public const string CommitteeNotOnAgenda = "Committee.NotOnAgenda";
    public const string CommitteeNotMembers = "Committee.NotMembers";
    public const string CommitteeAllVotesRequired = "Committee.AllVotesRequired";
    public const string CommitteeFiguresRequired = "Committee.FiguresRequired";
    public const string PersonalDataRoleNotAllowed = "PersonalData.RoleNotAllowed";
    public const string PersonalDataReasonRequired = "PersonalData.ReasonRequired";
    public const string PersonalDataHandlingOfficerOnly = "PersonalData.HandlingOfficerOnly";
    public const string ReportEndBeforeStart = "Report.EndBeforeStart";
    public const string ReportAtMostOneYear = "Report.AtMostOneYear";
    public const string ReportComplianceOnly = "Report.ComplianceOnly";
    public const string NotificationAdminOnly = "Notification.AdminOnly";
    public const string NotificationNotDead = "Notification.NotDead";
    public const string CloseDateNotEnded = "Close.DateNotEnded";
    public const string PeopleNotFound = "People.NotFound";
    public const string PeopleOutOfScope = "People.OutOfScope";
    public const string ProductAmountRange = "Product.AmountRange";
    public const string ProductTermRange = "Product.TermRange";
    public const string ProductRateRange = "Product.RateRange";
    public const string ProductMethodNotOffered = "Product.MethodNotOffered";

    // product administration (LoanProduct.Validate, ApprovalThresholds.Validate)
    public const string ProductSpreads = "Product.Spreads";
    public const string ProductTermSpread = "Product.TermSpread";
    public const string ProductAmountUnit = "Product.AmountUnit";
    public const string ProductCodeRequired = "Product.CodeRequired";
    public const string ProductNameRequired = "Product.NameRequired";
    public const string ProductAmountLimits = "Product.AmountLimits";
    /// <summary>{0} = the longest term in months</summary>
    public const string ProductMonthsRange = "Product.MonthsRange";
    public const string ProductRateLimits = "Product.RateLimits";
    public const string ProductMethodsRequired = "Product.MethodsRequired";
    public const string ProductPenaltyMarkupRange = "Product.PenaltyMarkupRange";
    /// <summary>{0} = lowest, {1} = highest</summary>
    public const string ProductGraceDaysRange = "Product.GraceDaysRange";
    /// <summary>{0} = lowest, {1} = highest</summary>
    public const string ProductReminderLeadDaysRange = "Product.ReminderLeadDaysRange";
    /// <summary>{0} = the combined annual cost, {1} = the cap (both as percentages)</summary>
    public const string ProductCombinedCostOverCap = "Product.CombinedCostOverCap";

    // the aggregation of approvers' votes
    public const string ApprovalNoVotes = "Approval.NoVotes";
    public const string ApprovalDuplicateVote = "Approval.DuplicateVote";
    /// <summary>{0} = approver</summary>
    public const string ApprovalVoteTermsRequired = "Approval.VoteTermsRequired";
    /// <summary>{0} = approver, {1} = the amount unit in yuan</summary>
    public const string ApprovalVoteAmountUnit = "Approval.VoteAmountUnit";

    // regions and teams
    public const string OrgRegionRequired = "Org.RegionRequired";
    public const string OrgCodeRequired = "Org.CodeRequired";
    /// <summary>{0} = the longest code</summary>
    public const string OrgCodeLength = "Org.CodeLength";
    public const string OrgCodeChars = "Org.CodeChars";
    public const string OrgNameRequired = "Org.NameRequired";
    /// <summary>{0} = the longest name</summary>
    public const string OrgNameLength = "Org.NameLength";

    // user and organisation administration
    public const string AdminAdminOnly = "Admin.AdminOnly";
    public const string AdminCentralizedNeedsApprovers = "Admin.CentralizedNeedsApprovers";
    public const string AdminChanged = "Admin.Changed";
    public const string AdminCodeTaken = "Admin.CodeTaken";
    public const string AdminDisplayNameLength = "Admin.DisplayNameLength";
    public const string AdminDisplayNameRequired = "Admin.DisplayNameRequired";
    public const string AdminLockSelf = "Admin.LockSelf";
    public const string AdminNotAnApprover = "Admin.NotAnApprover";
    public const string AdminOrgAdminOnly = "Admin.OrgAdminOnly";
    public const string AdminOwnAdminRole = "Admin.OwnAdminRole";
    public const string AdminPasswordRequired = "Admin.PasswordRequired";
    public const string AdminRegionHasTeams = "Admin.RegionHasTeams";
    public const string AdminRegionNotFound = "Admin.RegionNotFound";
    public const string AdminRegionUnknown = "Admin.RegionUnknown";
    public const string AdminRolesRequired = "Admin.RolesRequired";
    public const string AdminTeamHasMembers = "Admin.TeamHasMembers";
    public const string AdminTeamNotFound = "Admin.TeamNotFound";
    public const string AdminTeamUnknown = "Admin.TeamUnknown";
    public const string AdminUnknownRole = "Admin.UnknownRole";
    public const string AdminUserConflict = "Admin.UserConflict";
    public const string AdminUserNameChars = "Admin.UserNameChars";
    public const string AdminUserNameLength = "Admin.UserNameLength";
    public const string AdminUserNameTaken = "Admin.UserNameTaken";
    public const string AdminUserNotFound = "Admin.UserNotFound";

    /// <summary>{0} = lowest, {1} = highest (percent)</summary>
    public const string CalcRatePercentRange = "Calc.RatePercentRange";

    /// <summary>A file that starts like a PDF but does not parse as one.</summary>
    public const string DocumentPdfUnreadable = "Document.PdfUnreadable";
    public const string DocumentTooManyPixels = "Document.TooManyPixels";
    public const string DocumentActiveContent = "Document.ActiveContent";
    public const string DocumentPolyglot = "Document.Polyglot";
    public const string DocumentNotFound = "Document.NotFound";

    /// <summary>{0} = the report names</summary>
    public const string ReportNotFound = "Report.NotFound";
    public const string ReportPeriodRequired = "Report.PeriodRequired";

    // migration import (迁移导入)
    /// <summary>{0} = max length</summary>
    public const string ImportLoanNumberFormat = "Import.LoanNumberFormat";
    public const string ImportRateRange = "Import.RateRange";
    /// <summary>{0} = min, {1} = max</summary>
    public const string ImportNumberRange = "Import.NumberRange";
    /// <summary>{0} = the column's header</summary>
    public const string ImportColumnMissing = "Import.ColumnMissing";
    public const string ImportEmpty = "Import.Empty";
    public const string ImportFormat = "Import.Format";
    public const string ImportUnreadable = "Import.Unreadable";
    /// <summary>{0} = the row that has it first</summary>
    public const string ImportDuplicateInFile = "Import.DuplicateInFile";
    /// <summary>{0} = masked resident ID</summary>
    public const string ImportCustomerNotFound = "Import.CustomerNotFound";
    /// <summary>{0} = team code</summary>
    public const string ImportTeamNotFound = "Import.TeamNotFound";
    /// <summary>{0} = user name</summary>
    public const string ImportOfficerNotFound = "Import.OfficerNotFound";
    /// <summary>{0} = user name, {1} = team code</summary>
    public const string ImportOfficerNotInTeam = "Import.OfficerNotInTeam";
    /// <summary>{0} = product code</summary>
    public const string ImportProductNotFound = "Import.ProductNotFound";
    /// <summary>{0} = loan number</summary>
    public const string ImportLoanNotFound = "Import.LoanNotFound";
    /// <summary>{0} = district</summary>
    public const string ImportDistrictNotServed = "Import.DistrictNotServed";
    /// <summary>{0} = loan number</summary>
    public const string ImportLoanChangedHere = "Import.LoanChangedHere";
    /// <summary>{0} = max rows</summary>
    public const string ImportTooLarge = "Import.TooLarge";
    /// <summary>{0} = loan number: the loan of that number exists with other terms</summary>
    public const string ImportLoanDiffers = "Import.LoanDiffers";
    /// <summary>{0} = reference: already posted with other figures</summary>
    public const string ImportPaymentDiffers = "Import.PaymentDiffers";
    /// <summary>A loan of the file changed between the check and the import.</summary>
    public const string ImportBookChanged = "Import.Changed";
    /// <summary>{0} = loan number: a payment of a loans-with-payments import whose loan is not a new loan of the loans file</summary>
    public const string ImportPaymentLoanNotInFile = "Import.PaymentLoanNotInFile";
    /// <summary>{0} = the loan's row in the loans file, which is refused</summary>
    public const string ImportPaymentLoanRefused = "Import.PaymentLoanRefused";

    // bank repayment files (批量还款)
    /// <summary>{0} = bank code</summary>
    public const string BankMappingNotFound = "Bank.MappingNotFound";
    public const string BankLineNotFound = "Bank.LineNotFound";
    /// <summary>{0} = status</summary>
    public const string BankLineNotOpen = "Bank.LineNotOpen";
    public const string BankLineChanged = "Bank.Line.Changed";

    // field work (the officers' app)
    /// <summary>{0}, {1} = the range</summary>
    public const string FieldPingLatitude = "Field.PingLatitude";
    /// <summary>{0}, {1} = the range</summary>
    public const string FieldPingLongitude = "Field.PingLongitude";
    /// <summary>{0} = minutes ahead allowed</summary>
    public const string FieldPingInFuture = "Field.PingInFuture";
    public const string FieldPingAccuracyInvalid = "Field.PingAccuracyInvalid";
    /// <summary>{0} = the worst accuracy allowed (m)</summary>
    public const string FieldPingAccuracyWorse = "Field.PingAccuracyWorse";
    public const string FieldPingSpeedInvalid = "Field.PingSpeedInvalid";
    public const string FieldPingSequenceInvalid = "Field.PingSequenceInvalid";
    /// <summary>{0} = the most points a call takes</summary>
    public const string FieldBatchTooLarge = "Field.BatchTooLarge";
    public const string FieldBatchEmpty = "Field.BatchEmpty";
    public const string FieldNotSignedIn = "Field.DayNotOpen";
    public const string FieldAlreadySignedIn = "Field.AlreadySignedIn";
    public const string FieldSignatureMissing = "Field.SignatureMissing";
    public const string FieldSignatureInvalid = "Field.SignatureInvalid";
    /// <summary>{0} = minutes</summary>
    public const string FieldRequestExpired = "Field.RequestExpired";
    public const string FieldRequestReplayed = "Field.RequestReplayed";
    public const string FieldDeviceUnknown = "Field.DeviceUnknown";
    public const string FieldDeviceRevoked = "Field.DeviceRevoked";
    public const string FieldSignInFailed = "Field.SignInFailed";
    public const string FieldNotAnOfficer = "Field.NotAnOfficer";
    /// <summary>{0} = the device's officer</summary>
    public const string FieldNotYourDevice = "Field.NotYourDevice";
    public const string FieldDeviceNameRequired = "Field.DeviceNameRequired";
    public const string FieldSecondFactorRequired = "Field.SecondFactorRequired";

    // leave (请假)
    /// <summary>{0} = days back allowed</summary>
    public const string LeaveTooFarBack = "Leave.TooFarBack";
    public const string LeaveEndBeforeStart = "Leave.EndBeforeStart";
    /// <summary>{0} = most days</summary>
    public const string LeaveTooLong = "Leave.TooLong";
    public const string LeaveReasonRequired = "Leave.ReasonRequired";
    /// <summary>{0} = most characters</summary>
    public const string LeaveReasonLength = "Leave.ReasonLength";
    public const string LeaveNotPending = "Leave.NotPending";
    public const string LeaveOwnRequest = "Leave.OwnRequest";
    /// <summary>{0} = the lead's limit in days</summary>
    public const string LeaveBeyondLeadLimit = "Leave.BeyondLeadLimit";
    public const string LeaveRejectionNoteRequired = "Leave.RejectionNoteRequired";
    public const string LeaveNotCancellable = "Leave.NotCancellable";
    /// <summary>{0}, {1} = the other request's days</summary>
    public const string LeaveOverlaps = "Leave.Overlaps";
    public const string LeaveNotAnOfficer = "Leave.NotAnOfficer";
    public const string LeaveChanged = "Leave.Changed";

    // track files (轨迹导入)
    /// <summary>{0} = the header expected</summary>
    public const string TrackCsvHeader = "Track.CsvHeader";
    /// <summary>{0} = columns expected</summary>
    public const string TrackCsvColumns = "Track.CsvColumns";
    public const string TrackCsvValue = "Track.CsvValue";
    public const string TrackCsvEmpty = "Track.CsvEmpty";

    // visits (上门)
    public const string VisitTaskRequired = "Visit.TaskRequired";
    public const string VisitTaskNotYours = "Visit.TaskNotYours";
    public const string VisitLocationMissing = "Visit.LocationMissing";
    public const string VisitNoteLength = "Visit.NoteLength";
}
